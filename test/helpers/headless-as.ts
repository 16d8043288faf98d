import {startSentinel, type SentinelLine} from './sentinel-process.js';

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
 * whose HOME is `home` (startSentinel, through a prefix). It is SIGKILLed when the test ends, pass or fail.
 */
export function startHeadlessAs(prefix: string[], jobsDir: string, args: string[], home: string): HeadlessRun {
	const sentinel = startSentinel(jobsDir, args, {prefix, home});
	return {
		pid: sentinel.pid,
		lines: sentinel.lines,
		stderr: sentinel.stderr,
		waitForLine: (what, match, timeoutMs = 20_000) =>
			sentinel.waitForLine(match, timeoutMs).catch((error: unknown) => {
				throw new Error(`no ${what}: ${(error as Error).message}`);
			}),
		stop: async () => {
			await sentinel.stop();
			return {code: sentinel.child.exitCode, signal: sentinel.child.signalCode};
		},
	};
}
