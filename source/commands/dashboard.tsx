import {render, type Instance} from 'ink';
import type {EngineHandle} from '../sentinel/snapshot.js';
import {App} from '../ui/App.js';

// Ink 6 has no alternate-screen option: enter it, home the cursor and hide it ourselves.
const enterScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveScreen = '\u001B[?25h\u001B[?1049l';
const clearScreen = '\u001B[2J\u001B[H';
const stopSignals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

/** How the dashboard ended: the operator quit (`q`, Ctrl-C), or a signal stopped it. */
export type DashboardEnd = 'quit' | (typeof stopSignals)[number];

/** How the dashboard is drawn, and (for tests) where. */
export type DashboardOptions = {
	/** Draw with ASCII only (`--ascii`, or a locale that is not UTF-8). */
	ascii: boolean;
	/** Colours on; defaults to the environment (NO_COLOR, FORCE_COLOR). */
	color?: boolean;
	/** The terminal; process.stdout, process.stdin and process.stderr by default. */
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
};

/**
 * Run the dashboard in the alternate screen until `q`, Ctrl-C, SIGTERM, SIGHUP or a crash; restore
 * the terminal exactly once (an SSH drop leaves no terminal: write errors are ignored), then wait
 * for the engine to finish what is in flight. A crash rejects, after the screen is restored, so
 * the caller prints it on the normal screen. Resolves with how it ended: after SIGHUP the
 * terminal is gone, and Node 20 aborts at exit restoring it (nodejs/node#51519), so the caller
 * should end by raising SIGHUP again rather than exiting.
 */
export async function runDashboard(engine: EngineHandle, options: DashboardOptions): Promise<DashboardEnd> {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	const stderr = options.stderr ?? process.stderr;
	const write = (stream: NodeJS.WriteStream, text: string) => {
		try {
			stream.write(text);
		} catch {}
	};

	// EPIPE / EIO arrive as 'error' events once the terminal is gone; without a listener they crash.
	// The listeners stay: the terminal stays gone after this function returns.
	const ignore = () => {};
	for (const stream of [stdout, stdin, stderr]) stream.on('error', ignore);

	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		write(stdout, leaveScreen);
	};

	let instance: Instance | undefined;
	let quitRequested = false;
	let crash: {error: unknown} | undefined;
	let stopping = false;
	let end: DashboardEnd = 'quit';
	// Ink's unmount writes a last frame; should that throw, its exit promise never settles.
	let unmountFailed: () => void = () => {};
	const unmountFailure = new Promise<void>(resolve => {
		unmountFailed = resolve;
	});
	const quit = () => {
		quitRequested = true;
		try {
			instance?.unmount();
		} catch {
			unmountFailed();
		}
	};

	const onSignal = (signal: (typeof stopSignals)[number]) => {
		if (!stopping) {
			if (!quitRequested) end = signal;
			return quit();
		}

		write(stderr, 'sentinel-tui: finishing the action in progress, then exiting\n');
	};

	const signalHandlers = stopSignals.map(signal => [signal, () => onSignal(signal)] as const);

	const onCrash = (error: unknown) => {
		crash ??= {error};
		quit();
	};

	// A narrower terminal rewraps the old frame onto more rows than Ink erases: start from a clean
	// screen. Registered before Ink's own listener, which then redraws the whole frame.
	let columns = stdout.columns;
	const onResize = () => {
		if (stdout.columns < columns) write(stdout, clearScreen);
		columns = stdout.columns;
	};

	stdout.on('resize', onResize);
	for (const [signal, handler] of signalHandlers) process.on(signal, handler);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', restore);
	try {
		write(stdout, enterScreen);
		try {
			instance = render(<App engine={engine} ascii={options.ascii} color={options.color} onQuit={quit} />, {
				stdout,
				stdin,
				stderr,
				exitOnCtrlC: false,
				patchConsole: false,
				// Ink 6.8.0's incremental renderer moves the cursor up one line too few when the frame
				// ends in a newline (any frame shorter than the terminal, which ours always is), so
				// every frame lands one row lower (measured in tmux). The standard renderer redraws
				// the frame in one write, and Ink writes only when the frame text changed.
				incrementalRendering: false,
				// A changed row reaches the screen within a frame; the engine publishes at most every 10 ms.
				maxFps: 60,
			});
			if (quitRequested) quit();
			await Promise.race([instance.waitUntilExit(), unmountFailure]);
		} catch (error) {
			crash ??= {error};
		} finally {
			restore();
		}

		stopping = true;
		await engine.stop();
	} finally {
		stdout.off('resize', onResize);
		for (const [signal, handler] of signalHandlers) process.off(signal, handler);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', restore);
	}

	if (crash) throw crash.error;
	return end;
}
