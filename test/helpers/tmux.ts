import {execFileSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {onTestFinished} from 'vitest';

/** How a pane is captured. */
export type CaptureOptions = {
	/** Keep colours and attributes as escape sequences (`capture-pane -e`). */
	escapes?: boolean;
	/** Join lines the terminal wrapped, keeping trailing spaces (`-J`): a line too wide shows as one long line. */
	joined?: boolean;
};

/** One tmux server of its own with one pane, killed when the test ends. */
export type TmuxPane = {
	/** The server's socket name, for `tmux -L`. */
	socket: string;
	/** The pid of the pane's own process (what `command` started). */
	panePid: number;
	/** Run a tmux command on this server; its stdout. */
	tmux: (...args: string[]) => string;
	/** The pane's rows, top to bottom, one string a row. */
	capture: (options?: CaptureOptions) => string[];
	/** Type text as it is (no key names). */
	type: (text: string) => void;
	/** Press keys by tmux's names: `Enter`, `Escape`, `C-c`, `x`. */
	press: (...keys: string[]) => void;
	/** Resize the window (and so the pane) to `columns` x `rows`. */
	resize: (columns: number, rows: number) => void;
	/** A tmux format about the pane, such as `#{pane_title}` or `#{alternate_on}`. */
	display: (format: string) => string;
	/** Poll the pane until `check` holds; throws naming `what` and showing the last screen. */
	waitFor: (what: string, check: (rows: string[]) => boolean, options?: CaptureOptions & {timeoutMs?: number}) => Promise<string[]>;
	/** Pids of the pane's process and all its descendants, as now. */
	processes: () => number[];
};

/** What `startTmux` runs, in which size and environment. */
export type TmuxOptions = {
	/** The command and its arguments, run without a shell around it. */
	command: string[];
	columns: number;
	rows: number;
	/** HOME of the command: a temporary directory, so no operator config leaks in. */
	home: string;
	/** More environment for the command. */
	env?: Record<string, string>;
};

/** The pids whose parent is `pid` (from /proc, so no procps needed). */
export function childPids(pid: number): number[] {
	const children: number[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			// Fields after the command (which may hold spaces and parentheses): state, ppid, ...
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (parent === pid) children.push(Number(name));
		} catch {} // gone meanwhile
	}

	return children;
}

/** `pid` and every descendant of it. */
export function processTree(pid: number): number[] {
	const found = [pid];
	for (let index = 0; index < found.length; index++) found.push(...childPids(found[index]!));
	return found;
}

/** Still running: a zombie that nobody reaped yet counts as gone. */
function running(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

async function pause(ms: number): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * Start `command` in a pane of a tmux server on its own socket (`tmux -L sentinel-e2e-<random>`,
 * no config file), in a window of exactly `columns` x `rows` that keeps its size. The command gets
 * only PATH, HOME, LANG=C.UTF-8 and TERM=xterm-256color plus `env`: no CI, SENTINEL_*, LOGIST_*,
 * LC_ALL or NO_COLOR from the machine. When the test ends, pass or fail, the server is killed and
 * every process that ran in the pane is gone (SIGKILLed if SIGHUP did not end it).
 */
export function startTmux({command, columns, rows, home, env = {}}: TmuxOptions): TmuxPane {
	const socket = `sentinel-e2e-${crypto.randomBytes(6).toString('hex')}`;
	const clientEnv = {...process.env};
	delete clientEnv['TMUX'];
	delete clientEnv['TMUX_PANE'];
	const tmux = (...args: string[]) => execFileSync('tmux', ['-f', '/dev/null', '-L', socket, ...args], {encoding: 'utf8', env: clientEnv});
	const cleanEnv = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color', ...env};
	const assignments = Object.entries(cleanEnv).map(([name, value]) => `${name}=${value}`);
	let panePid = 0;
	let seen: number[] = [];
	const processes = () => {
		const now = panePid > 0 ? processTree(panePid) : [];
		seen = [...new Set([...seen, ...now])];
		return now;
	};

	onTestFinished(async () => {
		processes();
		try {
			tmux('kill-server');
		} catch {}
		const end = Date.now() + 3000;
		while (seen.some(running) && Date.now() < end) await pause(50);
		for (const pid of seen.filter(running)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}

		// A server whose last session ended on its own can leave its socket behind.
		fs.rmSync(path.join(process.env['TMUX_TMPDIR'] || '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), {force: true});
	});

	tmux('new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows), 'env', '-i', ...assignments, ...command);
	panePid = Number(tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim());
	// No client is attached: without this, tmux may size the window by its own rules.
	tmux('set-option', '-g', 'window-size', 'manual');
	tmux('resize-window', '-t', 'e2e', '-x', String(columns), '-y', String(rows));

	const capture = ({escapes = false, joined = false}: CaptureOptions = {}) => {
		const flags = ['-p', ...(escapes ? ['-e'] : []), ...(joined ? ['-J'] : [])];
		const text = tmux('capture-pane', ...flags, '-t', 'e2e');
		return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
	};

	const waitFor: TmuxPane['waitFor'] = async (what, check, {timeoutMs = 10_000, ...options} = {}) => {
		const end = Date.now() + timeoutMs;
		for (;;) {
			const screen = capture(options);
			if (check(screen)) return screen;
			if (Date.now() > end) throw new Error(`tmux pane: no ${what} within ${timeoutMs} ms; the pane shows:\n${screen.join('\n')}`);
			await pause(50);
		}
	};

	return {
		socket,
		panePid,
		tmux,
		capture,
		type: text => tmux('send-keys', '-t', 'e2e', '-l', text),
		press: (...keys) => tmux('send-keys', '-t', 'e2e', ...keys),
		resize: (width, height) => tmux('resize-window', '-t', 'e2e', '-x', String(width), '-y', String(height)),
		display: format => tmux('display-message', '-p', '-t', 'e2e', format).replace(/\n$/, ''),
		waitFor,
		processes,
	};
}
