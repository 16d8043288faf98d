import {sanitize} from '../../../text/sanitize.js';
import {runCommand, type Output} from '../../../runtime/run-command.js';
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
function kept({text, bytes}: Output): string {
	const lines = text.split('\n').map(line => redactText(sanitize(line)));
	return `${lines.join('\n').trimEnd()}${bytes > keptBytes ? `\n[${bytes - keptBytes} more bytes not kept]` : ''}`;
}

/**
 * Run the operator's `--evidence-command` (their own config: through the shell) with `{pid}` as
 * the number `pid`, in a process group of its own, for at most `limitMs`: past it, or when its
 * shell exits, the group is killed, and the stop goes on. Never throws; its environment is the
 * sentinel's, never the job's.
 */
export async function runEvidenceCommand(template: string, pid: number, limitMs = evidenceCommandLimitMs): Promise<CommandRecord> {
	const number = Math.trunc(pid);
	const command = template.replaceAll('{pid}', String(number));
	const run = await runCommand({
		argv: ['sh', '-c', command],
		limitMs,
		stdout: {first: keptBytes},
		stderr: {first: keptBytes},
		// What it left running in its group goes with it (a background `gdb -p` would stay attached),
		// and its exit is taken after a moment's wait for its pipes.
		groupEndsWithIt: true,
		pipeWaitMs,
		// The stop waits for nothing more.
		answerAtLimit: true,
	});
	return {
		command: redactText(sanitize(command)),
		pid: number,
		exit_code: run.code,
		signal: run.signal,
		timed_out: run.timedOut,
		...(run.failed ? {error: run.failed.message} : {}),
		duration_ms: run.durationMs,
		stdout: kept(run.stdout),
		stderr: kept(run.stderr),
	};
}
