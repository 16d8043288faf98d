import {runCommand} from '../runtime/run-command.js';
import {sanitize} from '../text/sanitize.js';

/** How long a remote action may take before it is killed and reported failed. */
export const remoteTimeoutMs = 30_000;

/** The most of each stream kept: a result entry is a line of a few KB. */
const keptBytes = 256 * 1024;

/** How long its output is waited for once ssh has exited: what it wrote is in the pipe by then. */
const pipeWaitMs = 1000;

/** What an action command on a host said: its JSON result, or why there is none, in words. */
export type RemoteOutcome = {result: Record<string, unknown>} | {failure: string};

/**
 * Run argv without a shell, in a session of its own (ssh can never ask on the dashboard's
 * terminal), killed with its group after `timeoutMs`, never waited for past it; the last line of
 * its output is the action command's JSON result. Never rejects.
 */
export async function runRemote(argv: readonly string[], timeoutMs = remoteTimeoutMs): Promise<RemoteOutcome> {
	// Answered at its exit, its pipes waited for a moment, and at its limit whatever holds them: a
	// process it left in a session of its own (ssh's ControlPersist master) is beyond its group's kill.
	const run = await runCommand({argv, limitMs: timeoutMs, stdout: {last: keptBytes}, stderr: {last: keptBytes}, pipeWaitMs, answerAtLimit: true});
	if (run.failed) return {failure: `could not run ${sanitize(argv[0]!)}: ${run.failed.code ?? run.failed.message}`};
	if (run.timedOut) return {failure: `no answer within ${timeoutMs / 1000} s: killed`};
	const result = lastJsonLine(run.stdout.text);
	if (result) return {result};
	const said = lastLine(run.stderr.text) || lastLine(run.stdout.text);
	const how = run.code === 255 ? 'ssh could not reach the host or run the command (exit 255)' : run.signal ? `ended by ${run.signal}` : `exit ${run.code} without a result`;
	return {failure: `${how}${said ? `: ${said}` : ''}`};
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
