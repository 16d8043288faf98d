import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {sanitize} from '../../../text/sanitize.js';
import {killGroup} from '../../../runtime/kill-group.js';
import {redactText} from './redact.js';

/** The longest `--evidence-command` may run before the stop goes on without it (SPEC section 15). */
export const evidenceCommandLimitMs = 5000;
/** Bytes kept of each of its outputs. */
const keptBytes = 64 * 1024;
/** How long its pipes are waited for after it exits. */
const pipeWaitMs = 200;

/** What the evidence command did, as kept in the evidence file. */
export type CommandRecord = {
	/** The command as run, `{pid}` put in. */
	command: string;
	pid: number;
	/** Exit code, or null when killed or never started. */
	exit_code: number | null;
	signal: string | null;
	timed_out: boolean;
	duration_ms: number;
	/** Its outputs, sanitised line by line, secrets hidden, at most 64 KiB each. */
	stdout: string;
	stderr: string;
	/** Why it could not be started. */
	error?: string;
};

/** Text kept of one output: its first bytes, sanitised line by line. */
function kept(chunks: Buffer[], total: number): string {
	const text = Buffer.concat(chunks).subarray(0, keptBytes).toString('utf8');
	const lines = text.split('\n').map(line => redactText(sanitize(line)));
	return `${lines.join('\n').trimEnd()}${total > keptBytes ? `\n[${total - keptBytes} more bytes not kept]` : ''}`;
}

/**
 * Run the operator's `--evidence-command` (their own config: through the shell) with `{pid}` as
 * the number `pid`, in a process group of its own, for at most `limitMs`: past it, or when its
 * shell exits, the group is killed, and the stop goes on. Never throws; its environment is the
 * sentinel's, never the job's.
 */
export function runEvidenceCommand(template: string, pid: number, limitMs = evidenceCommandLimitMs): Promise<CommandRecord> {
	const number = Math.trunc(pid);
	const command = template.replaceAll('{pid}', String(number));
	const started = performance.now();
	const outputs = {stdout: [] as Buffer[], stderr: [] as Buffer[]};
	const totals = {stdout: 0, stderr: 0};
	return new Promise(resolve => {
		let timer: NodeJS.Timeout | undefined;
		let settled = false;
		const finish = (fields: Pick<CommandRecord, 'exit_code' | 'signal' | 'timed_out'> & {error?: string}) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve({command: redactText(sanitize(command)), pid: number, ...fields, duration_ms: Math.round(performance.now() - started), stdout: kept(outputs.stdout, totals.stdout), stderr: kept(outputs.stderr, totals.stderr)});
		};
		let child: ReturnType<typeof spawn>;
		try {
			child = spawn('sh', ['-c', command], {detached: true, stdio: ['ignore', 'pipe', 'pipe']});
		} catch (error) {
			finish({exit_code: null, signal: null, timed_out: false, error: (error as Error).message});
			return;
		}
		for (const name of ['stdout', 'stderr'] as const) {
			child[name]?.on('data', (chunk: Buffer) => {
				if (totals[name] < keptBytes) outputs[name].push(chunk);
				totals[name] += chunk.length;
			});
		}
		timer = setTimeout(() => {
			if (child.pid) killGroup(child.pid);
			// Resolved now, not at its exit: the stop waits for nothing more.
			finish({exit_code: null, signal: 'SIGKILL', timed_out: true});
		}, limitMs);
		child.once('error', error => finish({exit_code: null, signal: null, timed_out: false, error: error.message}));
		let exited: Pick<CommandRecord, 'exit_code' | 'signal'> | null = null;
		// Its pipes close after its last output is read; a process it left outside its group may hold
		// them open, so its exit is taken after a moment's wait for them.
		child.once('close', (code, signal) => finish({exit_code: exited?.exit_code ?? code, signal: exited?.signal ?? signal, timed_out: false}));
		child.once('exit', (code, signal) => {
			exited = {exit_code: code, signal};
			// What it left running in its group goes with it (a background `gdb -p` would stay attached).
			if (!settled && child.pid) killGroup(child.pid);
			setTimeout(() => {
				child.stdout?.destroy();
				child.stderr?.destroy();
				finish({...exited!, timed_out: false});
			}, pipeWaitMs).unref();
		});
	});
}
