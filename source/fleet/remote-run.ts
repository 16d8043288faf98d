import {spawn} from 'node:child_process';
import {killGroup} from '../runtime/kill-group.js';
import {sanitize} from '../text/sanitize.js';

/** How long a remote action may take before it is killed and reported failed. */
export const remoteTimeoutMs = 30_000;

/** The most of each stream kept: a result entry is a line of a few KB. */
const keptBytes = 256 * 1024;

/** What an action command on a host said: its JSON result, or why there is none, in words. */
export type RemoteOutcome = {result: Record<string, unknown>} | {failure: string};

/**
 * Run argv without a shell, in a session of its own (ssh can never ask on the dashboard's
 * terminal), killed with its group after `timeoutMs`; the last line of its output is the action
 * command's JSON result. Never rejects.
 */
export function runRemote(argv: readonly string[], timeoutMs = remoteTimeoutMs): Promise<RemoteOutcome> {
	return new Promise(resolve => {
		const child = spawn(argv[0]!, argv.slice(1), {stdio: ['ignore', 'pipe', 'pipe'], detached: true});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-keptBytes)));
		child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-keptBytes)));
		const timer = setTimeout(() => {
			timedOut = true;
			if (child.pid) killGroup(child.pid);
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			resolve({failure: `could not run ${sanitize(argv[0]!)}: ${(error as NodeJS.ErrnoException).code ?? error.message}`});
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (timedOut) return resolve({failure: `no answer within ${timeoutMs / 1000} s: killed`});
			const result = lastJsonLine(stdout);
			if (result) return resolve({result});
			const said = lastLine(stderr) || lastLine(stdout);
			const how = code === 255 ? 'ssh could not reach the host or run the command (exit 255)' : signal ? `ended by ${signal}` : `exit ${code} without a result`;
			resolve({failure: `${how}${said ? `: ${said}` : ''}`});
		});
	});
}

function lastLine(text: string): string {
	const lines = text.split('\n').map(line => line.trim()).filter(Boolean);
	return sanitize(lines.at(-1) ?? '').slice(0, 300);
}

function lastJsonLine(text: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(text.trim().split('\n').at(-1) ?? '');
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
