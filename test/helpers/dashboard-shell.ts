import crypto from 'node:crypto';
import {childPids, startTmux, type TmuxPane} from './tmux.js';
import {makeTempDir} from './temp-dir.js';

// An operator's shell in a real terminal (tmux, no CI in its environment): the test types command
// lines, reads the screen, and learns how each command ended from the line the shell prints after it.

const prompt = 'READY$ ';

/** An interactive bash in a tmux pane of `columns` x `rows`, waiting at its prompt. */
export async function openShell(columns: number, rows: number): Promise<TmuxPane> {
	const home = makeTempDir('sentinel-home-');
	const pane = startTmux({command: ['bash', '--norc', '--noprofile'], columns, rows, home, env: {PS1: prompt, HISTFILE: ''}});
	await pane.waitFor('shell prompt', screen => screen.includes(prompt.trimEnd()));
	return pane;
}

/** A word safe to type at bash: single-quoted. */
export function shellWord(word: string): string {
	return `'${word.replaceAll("'", "'\\''")}'`;
}

/** A command the shell runs; `exitCode` waits for the line the shell prints when it ends. */
export type ShellCommand = {
	/** The command's pid, once the shell has started it (the shell's only child). */
	pid: () => Promise<number>;
	/** Its exit code, once the shell has printed it. */
	exitCode: (timeoutMs?: number) => Promise<number>;
	/** The rows it left on the screen, between its command line and its exit code (call after exitCode). */
	output: () => string[];
};

/** Type `words` (each quoted) as one command line, followed by a line with its exit code. */
export function runInShell(pane: TmuxPane, words: string[]): ShellCommand {
	const marker = `ended-${crypto.randomBytes(4).toString('hex')}`;
	pane.type(`${words.map(shellWord).join(' ')}; echo "${marker} $?"`);
	pane.press('Enter');
	const pattern = new RegExp(`^${marker} (\\d+)$`);
	return {
		async pid() {
			let found = 0;
			await pane.waitFor('the command to start', () => {
				found = childPids(pane.panePid)[0] ?? 0;
				return found > 0;
			});
			return found;
		},
		async exitCode(timeoutMs = 20_000) {
			// Joined, so a long command line wrapped by the terminal does not hide the marker.
			const screen = await pane.waitFor(`"${marker}"`, rows => rows.some(row => pattern.test(row.trimEnd())), {timeoutMs, joined: true});
			return Number(pattern.exec(screen.find(row => pattern.test(row.trimEnd()))!.trimEnd())![1]);
		},
		output() {
			const rows = pane.capture({joined: true}).map(row => row.trimEnd());
			const commandRow = rows.findIndex(row => row.includes(`echo "${marker} $?"`));
			const endRow = rows.findIndex(row => pattern.test(row));
			return commandRow < 0 || endRow < 0 ? [] : rows.slice(commandRow + 1, endRow);
		},
	};
}
