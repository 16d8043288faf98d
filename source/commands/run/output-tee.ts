import fs from 'node:fs';
import type {Readable} from 'node:stream';

/** One stream of a command's output, passed through to a terminal and a log. */
export type Tee = {
	/** Resolves when the command's side of the stream has closed. */
	closed: Promise<void>;
	/** Stop passing output on and close our end (what exiting would do). */
	stop: () => void;
};

/**
 * Pass a command's output through to `terminal` and append it to the log file open as `logFd`
 * (null: no log). A terminal that goes away (an SSH drop) stops getting output; the log keeps it.
 */
export function teeOutput(source: Readable, logFd: number | null, terminal: NodeJS.WritableStream): Tee {
	if (logFd !== null) {
		source.on('data', (chunk: Buffer) => {
			try {
				fs.writeSync(logFd, chunk);
			} catch {
				// A full disk must not stop the command; its output still reaches the terminal.
			}
		});
	}
	// pipe() pauses the command while the terminal is slow, as a terminal would.
	source.pipe(terminal, {end: false});
	const closed = new Promise<void>(resolve => {
		source.once('close', () => resolve());
	});
	return {
		closed,
		stop() {
			source.unpipe(terminal);
			source.destroy();
		},
	};
}

/** Keep write errors on a terminal that went away from ending this process; returns the undo. */
export function ignoreWriteErrors(stream: NodeJS.WritableStream): () => void {
	const ignore = () => {};
	stream.on('error', ignore);
	return () => stream.off('error', ignore);
}
