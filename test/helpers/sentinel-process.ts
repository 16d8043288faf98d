import type {ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {onTestFinished} from 'vitest';
import type {AuditEntry} from '../../source/types.js';
import {cliEnv, cliPath} from './cli.js';
import {startProcess} from './processes.js';

/** One JSON line of `--headless`. */
export type SentinelLine = {ts: string; type: string; [field: string]: unknown};

/** A `sentinel-tui --headless` process started by a test. */
export type SentinelProcess = {
	pid: number;
	child: ChildProcess;
	/** Every line printed so far, in order. */
	lines: SentinelLine[];
	stderr: () => string;
	/** Everything it printed on stdout, as bytes came. */
	rawStdout: () => string;
	/** The first line, printed already or to come, that matches; rejects after `timeoutMs` naming what it saw. */
	waitForLine: (match: (line: SentinelLine) => boolean, timeoutMs?: number) => Promise<SentinelLine>;
	/** SIGTERM, as an operator stops it; resolves once it has exited. */
	stop: () => Promise<void>;
	/** kill -9, no chance to finish anything; resolves once it has exited. */
	kill: () => Promise<void>;
	exited: Promise<void>;
};

/**
 * Start `node dist/bin/sentinel-tui.js --headless <jobsDir> ...args` and collect its JSON lines. It is killed
 * (and waited for) when the test ends, before the test's directories are removed. `prefix` runs it
 * through a command such as `setpriv` (as another user), `home` is its HOME.
 */
export function startSentinel(jobsDir: string, args: string[] = [], options: {prefix?: string[]; home?: string} = {}): SentinelProcess {
	const command = [...(options.prefix ?? []), process.execPath, cliPath, '--headless', jobsDir, ...args];
	const child = startProcess(command[0]!, command.slice(1), {stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(options.home)});
	const pid = child.pid!;
	const lines: SentinelLine[] = [];
	const waiters = new Set<() => void>();
	let partial = '';
	let stderr = '';
	let raw = '';
	// Decoded as a stream: a character whose bytes two reads split stays whole.
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		raw += chunk;
		const text = partial + chunk;
		const complete = text.split('\n');
		partial = complete.pop()!;
		for (const line of complete) {
			try {
				lines.push(JSON.parse(line) as SentinelLine);
			} catch {
				lines.push({ts: '', type: 'unparsed', text: line});
			}
		}
		for (const wake of waiters) wake();
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	let hasExited = false;
	const exited = new Promise<void>(resolve => {
		// 'close', not 'exit': every line it printed has been read by then.
		child.once('close', () => {
			hasExited = true;
			resolve();
			for (const wake of waiters) wake();
		});
	});
	const signal = async (name: NodeJS.Signals) => {
		try {
			process.kill(pid, name);
		} catch {}
		await exited;
	};
	onTestFinished(() => signal('SIGKILL'));

	const waitForLine = (match: (line: SentinelLine) => boolean, timeoutMs = 10_000) =>
		new Promise<SentinelLine>((resolve, reject) => {
			const fail = (why: string) => {
				const seen = lines.slice(-15).map(line => JSON.stringify(line).slice(0, 300));
				reject(new Error(`sentinel ${pid}: ${why}; last lines:\n${seen.join('\n')}\nstderr: ${stderr.slice(-1000)}`));
			};
			const check = () => {
				const found = lines.find(match);
				if (!found && !hasExited) return false;
				clearTimeout(timer);
				waiters.delete(check);
				if (found) resolve(found);
				else fail('exited without a matching line');
				return true;
			};
			const timer = setTimeout(() => {
				waiters.delete(check);
				fail(`no matching line within ${timeoutMs} ms`);
			}, timeoutMs);
			if (!check()) waiters.add(check);
		});

	return {pid, child, lines, stderr: () => stderr, rawStdout: () => raw, waitForLine, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), exited};
}

/** Every entry of `<jobsDir>/.sentinel/audit.jsonl`, oldest first; none when there is no log. */
export function readAudit(jobsDir: string): AuditEntry[] {
	const file = path.join(jobsDir, '.sentinel', 'audit.jsonl');
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	return text
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => JSON.parse(line) as AuditEntry);
}
