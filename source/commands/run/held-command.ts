import {spawn, type ChildProcess} from 'node:child_process';
import os from 'node:os';
import type {Writable} from 'node:stream';

/** How a command ended. */
export type CommandEnd = {
	/** The exit code, or 128 + the signal's number when a signal ended it (as a shell reports it). */
	exitCode: number;
	/** The name of the signal that ended it, or null. */
	signal: NodeJS.Signals | null;
};

/** A command started but held before its first instruction, until `release()`. */
export type HeldCommand = {
	/** The command's pid: the holding shell execs the command, so pid and start time stay its own. */
	pid: number;
	/** The command's output, to pass through. */
	child: ChildProcess;
	/** Let the command run. */
	release: () => void;
	/** Never let it run: the holding shell is killed before it execs. */
	cancel: () => void;
	/** Resolves when the command (or the holding shell) has ended. */
	ended: Promise<CommandEnd>;
};

// The shell waits for one line on fd 3, then execs the command with fd 3 closed. Should we die
// before releasing it, fd 3 reaches end of file and the command never runs.
const holdingScript = 'read _ <&3 || exit 125; exec "$@" 3<&-';

/**
 * Start `command` in a process group (and session) of its own, stopped before it can do anything,
 * so its manifest can name its pid before it runs.
 */
export function startHeld(command: readonly string[], env: NodeJS.ProcessEnv): HeldCommand {
	const child = spawn('/bin/sh', ['-c', holdingScript, 'sh', ...command], {
		detached: true,
		env,
		stdio: ['inherit', 'pipe', 'pipe', 'pipe'],
	});
	const ended = new Promise<CommandEnd>(resolve => {
		child.once('exit', (code, signal) => resolve(commandEnd(code, signal)));
		child.once('error', () => resolve({exitCode: 127, signal: null}));
	});
	if (child.pid === undefined) throw new Error(`cannot start ${command[0] ?? 'the command'}`);
	const gate = child.stdio[3] as Writable;
	// A command that dies while held closes the gate; that shows in `ended`, not as an error here.
	gate.on('error', () => {});
	return {
		pid: child.pid,
		child,
		release: () => gate.end('\n'),
		cancel() {
			child.kill('SIGKILL');
			gate.destroy();
		},
		ended,
	};
}

function commandEnd(code: number | null, signal: NodeJS.Signals | null): CommandEnd {
	if (signal) return {exitCode: 128 + (os.constants.signals[signal] ?? 0), signal};
	return {exitCode: code ?? 1, signal: null};
}
