import {runCommand} from '../../runtime/run-command.js';

/** What became of one hook: the caller logs failures; nothing here throws. */
export type HookResult = {
	hook: 'command' | 'webhook';
	ok: boolean;
	/** One line: the exit code or HTTP status, or what went wrong. */
	message: string;
	durationMs: number;
};

export type HookOptions = {
	/** `--on-intervention`: run through `sh -c`, the event JSON on stdin. */
	command: string | null;
	/** `--webhook`: receives the event JSON as a POST. */
	webhook: string | null;
	/** Default 10 s; the command's whole process group is killed past it. */
	commandTimeoutMs?: number;
	/** Default 5 s. */
	webhookTimeoutMs?: number;
};

const inFlight = new Set<Promise<unknown>>();
const stderrKeptBytes = 2000;
/**
 * How long its stderr is waited for once it has exited: its exit may be seen before the pipe's last
 * bytes are read (the rule with a few hooks at once), and a background process it left may hold
 * the pipe open for good.
 */
const stderrWaitMs = 200;

/** Resolves when every hook started so far has finished (for a clean shutdown). */
export async function pendingHooks(): Promise<void> {
	while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

function field(event: object, ...names: string[]): string {
	const record = event as Record<string, unknown>;
	for (const name of names) {
		const value = record[name];
		// An environment variable cannot hold a NUL byte.
		if (typeof value === 'string') return value.replaceAll('\0', '');
		if (typeof value === 'number') return String(value);
	}
	return '';
}

function oneLine(text: string): string {
	return text.replaceAll(/\s+/g, ' ').trim();
}

async function runHookCommand(command: string, json: string, event: object, timeoutMs: number): Promise<HookResult> {
	const env = {
		...process.env,
		SENTINEL_EVENT: json.replaceAll('\0', ''),
		SENTINEL_JOB_ID: field(event, 'job_id'),
		SENTINEL_ACTION: field(event, 'action'),
		SENTINEL_SEVERITY: field(event, 'severity'),
		SENTINEL_RESULT: field(event, 'result'),
		SENTINEL_REASON: field(event, 'reason'),
		SENTINEL_JOB_DIR: field(event, 'dir', 'job_dir'),
	};
	// Its stdout stays off ours, which may be carrying JSON lines. Answered once its stderr closes or
	// a moment after its exit, or at its limit: a process in uninterruptible sleep outlives its
	// SIGKILL, and a shutdown waits for every hook (pendingHooks).
	const run = await runCommand({argv: ['sh', '-c', command], limitMs: timeoutMs, env, input: json, stderr: {last: stderrKeptBytes}, pipeWaitMs: stderrWaitMs, answerAtLimit: true});
	const done = (ok: boolean, message: string): HookResult => ({hook: 'command', ok, message, durationMs: run.durationMs});
	if (run.failed) return done(false, `could not start: ${run.failed.message}`);
	if (run.timedOut) return done(false, `killed after ${timeoutMs} ms`);
	if (run.code === 0) return done(true, 'exit code 0');
	const detail = oneLine(run.stderr.text).slice(-200);
	return done(false, `${run.signal ? `killed by ${run.signal}` : `exit code ${run.code}`}${detail ? `: ${detail}` : ''}`);
}

async function postWebhook(url: string, json: string, timeoutMs: number): Promise<HookResult> {
	const started = Date.now();
	const done = (ok: boolean, message: string): HookResult => ({hook: 'webhook', ok, message, durationMs: Date.now() - started});
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: {'content-type': 'application/json', 'user-agent': 'sentinel-tui'},
			body: json,
			signal: AbortSignal.timeout(timeoutMs),
		});
		await response.body?.cancel().catch(() => undefined);
		return done(response.ok, `HTTP ${response.status}`);
	} catch (error) {
		const problem = error as Error & {cause?: Error & {code?: string}};
		if (problem.name === 'TimeoutError' || problem.name === 'AbortError') return done(false, `no answer within ${timeoutMs} ms`);
		const cause = problem.cause ? `: ${problem.cause.code ?? problem.cause.message}` : '';
		return done(false, oneLine(`${problem.message}${cause}`));
	}
}

/**
 * Runs the notify hooks for one event: the command and the webhook, side by side. Never throws,
 * never hangs past its limits; meant to be fired and forgotten by the tick (see pendingHooks).
 */
export function runHooks(event: object, options: HookOptions): Promise<HookResult[]> {
	let json: string;
	try {
		json = JSON.stringify(event);
	} catch (error) {
		json = JSON.stringify({error: `event not serializable: ${(error as Error).message}`});
	}
	const hooks: Array<Promise<HookResult>> = [];
	if (options.command) hooks.push(runHookCommand(options.command, json, event, options.commandTimeoutMs ?? 10_000));
	if (options.webhook) hooks.push(postWebhook(options.webhook, json, options.webhookTimeoutMs ?? 5000));
	const all = Promise.all(hooks);
	inFlight.add(all);
	void all.finally(() => inFlight.delete(all));
	return all;
}
