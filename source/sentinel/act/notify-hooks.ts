import {spawn} from 'node:child_process';
import {killGroup} from '../../runtime/kill-group.js';

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


function runCommand(command: string, json: string, event: object, timeoutMs: number): Promise<HookResult> {
	const started = Date.now();
	const done = (ok: boolean, message: string): HookResult => ({hook: 'command', ok, message, durationMs: Date.now() - started});
	return new Promise(resolve => {
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
		// Its own process group, so a timeout kills what the command started too; stdout stays
		// off ours, which may be carrying JSON lines.
		let child: ReturnType<typeof spawn>;
		try {
			child = spawn('sh', ['-c', command], {detached: true, stdio: ['pipe', 'ignore', 'pipe'], env});
		} catch (error) {
			resolve(done(false, `could not start: ${(error as Error).message}`));
			return;
		}
		let stderr = '';
		let timedOut = false;
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-stderrKeptBytes);
		});
		child.stdin?.on('error', () => {
			// A command that does not read its stdin is fine.
		});
		child.stdin?.end(json);
		const timer = setTimeout(() => {
			timedOut = true;
			if (child.pid) killGroup(child.pid);
		}, timeoutMs);
		child.once('error', error => {
			clearTimeout(timer);
			resolve(done(false, `could not start: ${error.message}`));
		});
		// 'exit', not 'close': a background process the command left may hold stderr open.
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			child.stderr?.destroy();
			if (timedOut) resolve(done(false, `killed after ${timeoutMs} ms`));
			else if (code === 0) resolve(done(true, 'exit code 0'));
			else {
				const detail = oneLine(stderr).slice(-200);
				resolve(done(false, `${signal ? `killed by ${signal}` : `exit code ${code}`}${detail ? `: ${detail}` : ''}`));
			}
		});
	});
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
	if (options.command) hooks.push(runCommand(options.command, json, event, options.commandTimeoutMs ?? 10_000));
	if (options.webhook) hooks.push(postWebhook(options.webhook, json, options.webhookTimeoutMs ?? 5000));
	const all = Promise.all(hooks);
	inFlight.add(all);
	void all.finally(() => inFlight.delete(all));
	return all;
}
