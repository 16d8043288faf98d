import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import {onTestFinished} from 'vitest';

/**
 * Start a real process in its own process group; the whole group is SIGKILLed when the test ends.
 * Only processes a test started are ever signalled by the test helpers.
 */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	const child = spawn(command, args, {stdio: 'ignore', ...options, detached: true});
	if (!child.pid) throw new Error(`could not start ${command}`);
	const pid = child.pid;
	onTestFinished(() => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
	});
	return child;
}

/** A node script run as a process of its own; see startProcess. */
export function startNode(script: string, options: SpawnOptions = {}): ChildProcess {
	return startProcess(process.execPath, ['-e', script], options);
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Whether `pid` has a handler of its own for `signal` (its SigCgt mask in /proc): a node script's
 * process.on(signal) is in place only some time after spawn returns, and until then the signal
 * kills it.
 */
export function catches(pid: number, signal: NodeJS.Signals): boolean {
	let status = '';
	try {
		status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return false; // gone
	}
	const mask = /^SigCgt:\s*([\da-f]+)$/m.exec(status)?.[1];
	return mask !== undefined && ((BigInt(`0x${mask}`) >> BigInt(os.constants.signals[signal] - 1)) & 1n) === 1n;
}

/** Poll until `check` is true or `timeoutMs` passes; resolves with the last value of check. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 50): Promise<boolean> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await check()) return true;
		await new Promise(resolve => setTimeout(resolve, stepMs));
	}
	return check();
}
