import {cliEnv, cliPath} from './cli.js';
import {startProcess} from './processes.js';
import type {SentinelLine} from './sentinel-process.js';

/** A `--headless` sentinel started through a prefix (such as `asNobody`), its output collected. */
export type HeadlessRun = {
	pid: number;
	/** Every stdout line, parsed; a line that is not JSON is kept as `{type: 'unparsed', text}`. */
	lines: SentinelLine[];
	stderr: () => string;
	/** The first line, printed already or to come, that matches; rejects after `timeoutMs` or at exit, showing what it saw. */
	waitForLine: (what: string, match: (line: SentinelLine) => boolean, timeoutMs?: number) => Promise<SentinelLine>;
	/** SIGTERM, as an operator stops it; resolves with how it exited. */
	stop: () => Promise<{code: number | null; signal: NodeJS.Signals | null}>;
};

/**
 * `<prefix...> node dist/bin/sentinel-tui.js --headless <jobsDir> ...args`, with a clean environment
 * whose HOME is `home`. The process group is SIGKILLed when the test ends, pass or fail.
 */
export function startHeadlessAs(prefix: string[], jobsDir: string, args: string[], home: string): HeadlessRun {
	const command = [...prefix, process.execPath, cliPath, '--headless', jobsDir, ...args];
	const child = startProcess(command[0]!, command.slice(1), {stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(home)});
	const lines: SentinelLine[] = [];
	let partial = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		const complete = (partial + chunk.toString('utf8')).split('\n');
		partial = complete.pop()!;
		for (const line of complete) {
			try {
				lines.push(JSON.parse(line) as SentinelLine);
			} catch {
				lines.push({ts: '', type: 'unparsed', text: line});
			}
		}
	});
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	let exit: {code: number | null; signal: NodeJS.Signals | null} | null = null;
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('close', (code, signal) => resolve((exit = {code, signal})));
	});

	const waitForLine: HeadlessRun['waitForLine'] = async (what, match, timeoutMs = 20_000) => {
		const end = Date.now() + timeoutMs;
		for (;;) {
			const found = lines.find(match);
			if (found) return found;
			if (exit || Date.now() > end) {
				const seen = lines.slice(-12).map(line => JSON.stringify(line).slice(0, 300));
				throw new Error(`headless ${child.pid}: no ${what} (${exit ? `exited ${JSON.stringify(exit)}` : `${timeoutMs} ms`}); last lines:\n${seen.join('\n')}\nstderr: ${stderr.slice(-1000)}`);
			}
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	};

	return {
		pid: child.pid!,
		lines,
		stderr: () => stderr,
		waitForLine,
		stop: async () => {
			if (!exit) child.kill('SIGTERM');
			return exited;
		},
	};
}
