// A private tmux server (its own -L socket, so no other tmux server is ever touched), killed when
// the benchmark ends, with the processes of its panes.
import {execFile, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {killPid, onCleanup} from './cleanup.js';
import {startTimeMs} from './proc.js';

/** Quote one argument for sh. */
export function shellQuote(text) {
	return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${String(text).replaceAll("'", "'\\''")}'`;
}

/** A command line that replaces the pane's shell with `argv`, CI unset (Ink draws only the last frame under CI). */
function paneCommand(argv) {
	return `exec env -u CI ${argv.map(shellQuote).join(' ')}`;
}

export class Tmux {
	/**
	 * @param {string} name part of the socket name, for whoever looks at `ls /tmp/tmux-*`
	 * @param {NodeJS.ProcessEnv} env the environment panes inherit
	 */
	constructor(name, env) {
		this.socket = `sentinel-bench-${name}-${process.pid}`;
		this.env = env;
		/** pane program pid -> its start time, so a pid reused since is never signalled. */
		this.panePids = new Map();
		// An idle session keeps the server up between panes; remain-on-exit keeps a finished pane's text.
		this.run(['new-session', '-d', '-s', 'idle', '-x', '80', '-y', '24', 'exec sleep 3600']);
		this.run(['set-option', '-g', 'remain-on-exit', 'on']);
		this.socketPath = this.run(['display-message', '-p', '-t', 'idle', '#{socket_path}']).trim();
		onCleanup(`tmux ${this.socket}`, () => this.killServer());
	}

	/** Run a tmux command and return its stdout. */
	run(args) {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', env: this.env, stdio: ['ignore', 'pipe', 'pipe']});
	}

	/**
	 * A new session running `argv` in a `width` x `height` pane; returns the pane's process id
	 * (the program itself: the shell execs it).
	 */
	start(session, argv, {width = 120, height = 40} = {}) {
		this.run(['new-session', '-d', '-s', session, '-x', String(width), '-y', String(height), paneCommand(argv)]);
		const pid = Number(this.run(['display-message', '-p', '-t', session, '#{pane_pid}']).trim());
		this.panePids.set(pid, startTimeMs(pid));
		return pid;
	}

	/** The pane's text, as on screen (async, so the caller's event loop keeps running). */
	capture(session) {
		return new Promise((resolve, reject) => {
			execFile('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', session], {encoding: 'utf8', env: this.env}, (error, stdout) => (error ? reject(error) : resolve(stdout)));
		});
	}

	/** The same, synchronously. */
	captureSync(session) {
		return this.run(['capture-pane', '-p', '-t', session]);
	}

	sendKeys(session, ...keys) {
		this.run(['send-keys', '-t', session, ...keys]);
	}

	/** Whether the session's program is still running (not a dead pane kept by remain-on-exit). */
	isRunning(session) {
		try {
			return this.run(['display-message', '-p', '-t', session, '#{pane_dead}']).trim() === '0';
		} catch {
			return false;
		}
	}

	killSession(session) {
		try {
			this.run(['kill-session', '-t', session]);
		} catch {}
	}

	/** Kill the server (tmux hangs up its panes) and remove its socket file, then SIGKILL any pane program that outlived it. */
	killServer() {
		try {
			this.run(['kill-server']);
		} catch {}
		if (this.socketPath) fs.rmSync(this.socketPath, {force: true});
		for (const [pid, started] of this.panePids) if (started !== null && startTimeMs(pid) === started) killPid(pid);
	}
}
