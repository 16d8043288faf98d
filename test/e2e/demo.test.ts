import {execFile, spawn} from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, onTestFinished, test} from 'vitest';
import {cliEnv, cliPath} from '../helpers/cli.js';
import {waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import {makeTempDir} from '../helpers/temp-dir.js';

// End to end: `sentinel-tui demo` in a real terminal (tmux), watched the way an operator
// watches it, then quit with `q`. Slow by nature: the demo's timeouts are seconds, not minutes.

const run = promisify(execFile);
const severities = ['ok', 'low', 'medium', 'high', 'critical', 'invalid'] as const;
const actions = ['notify', 'recover', 'terminate'] as const;

/** A tmux server of the test's own (its own socket), killed when the test ends. */
function startTmux(command: string[], size: {columns: number; rows: number}, env: NodeJS.ProcessEnv) {
	const socket = `sentinel-e2e-${process.pid}-${Date.now()}`;
	const tmux = async (...args: string[]) => (await run('tmux', ['-L', socket, ...args], {env})).stdout;
	onTestFinished(async () => {
		await tmux('kill-server').catch(() => undefined);
		// A server that ended with its last session leaves its socket file behind.
		fs.rmSync(path.join(env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid!()}`, socket), {force: true});
	});
	const started = tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), '--', ...command);
	return {
		started,
		capture: async () => tmux('capture-pane', '-p', '-t', 'main'),
		keys: async (...keys: string[]) => tmux('send-keys', '-t', 'main', ...keys),
		/** False once the command has exited (the session closes with it). */
		alive: async () =>
			tmux('has-session', '-t', 'main').then(
				() => true,
				() => false,
			),
	};
}

/** What one look at the screen shows. */
type Screen = {demoDir?: string; severities: string[]; actions: string[]};

/** The demo's jobs directory where the screen shows it: made in the OS temp dir, whose path may hold a space. */
function shownDemoDir(pane: string): string | undefined {
	const prefix = path.join(os.tmpdir(), 'sentinel-demo-');
	const at = pane.indexOf(prefix);
	const suffix = at === -1 ? undefined : /^[\w-]+/.exec(pane.slice(at + prefix.length))?.[0];
	return suffix === undefined ? undefined : prefix + suffix;
}

/** Read the SEV column of the job table and the actions of the intervention log. */
function readScreen(pane: string): Screen {
	const lines = pane.split('\n').map(line => Array.from(line));
	const demoDir = shownDemoDir(pane);
	const header = lines.findIndex(line => /\bID\b.*\bSEV/.test(line.join('')));
	const logStart = lines.findIndex(line => line.join('').startsWith('Interventions'));
	if (header === -1) return {demoDir, severities: [], actions: []};
	// Columns by code point: every glyph the table draws (›, ‖, ▾, sparklines) is one cell wide.
	const column = lines[header]!.join('').indexOf('SEV');
	const rows = lines.slice(header + 1, logStart === -1 ? undefined : logStart);
	const seen = rows.map(row => row.slice(column).join('').split(' ')[0]!);
	const logged = logStart === -1 ? [] : lines.slice(logStart + 1).map(line => /^\d\d:\d\d:\d\d (\w+) /.exec(line.join(''))?.[1] ?? '');
	return {
		demoDir,
		severities: seen.filter(word => (severities as readonly string[]).includes(word)),
		actions: logged.filter(word => (actions as readonly string[]).includes(word)),
	};
}

/**
 * Processes of this demo: any whose arguments name its jobs directory or a demo job script,
 * and that run with this test's HOME (so a colleague's demo on the same machine is not ours).
 */
async function demoProcesses(demoDir: string, home: string): Promise<string[]> {
	const {stdout} = await run('ps', ['-eo', 'pid,args']);
	return stdout
		.split('\n')
		.slice(1)
		.filter(line => line.includes(demoDir) || line.includes('demo-jobs/'))
		.filter(line => {
			const pid = line.trim().split(/\s+/)[0];
			try {
				return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`HOME=${home}`);
			} catch {
				return false;
			}
		});
}

describe('sentinel-tui demo', () => {
	test('shows every severity and every action within 90 s, and leaves nothing behind on q', async () => {
		const home = makeTempDir('sentinel-demo-home-');
		const env = cliEnv(home, {LANG: 'C.UTF-8'});
		for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'LC_ALL', 'LC_CTYPE', 'TMUX', 'NO_COLOR']) delete env[name];
		const terminal = startTmux([process.execPath, cliPath, 'demo'], {columns: 120, rows: 40}, env);
		await terminal.started;

		let demoDir: string | undefined;
		const seenSeverities = new Set<string>();
		const seenActions = new Set<string>();
		let last = '';
		const end = Date.now() + 90_000;
		while (Date.now() < end && (seenSeverities.size < severities.length || seenActions.size < actions.length)) {
			last = await terminal.capture();
			const screen = readScreen(last);
			demoDir ??= screen.demoDir;
			for (const severity of screen.severities) seenSeverities.add(severity);
			for (const action of screen.actions) seenActions.add(action);
			await new Promise(resolve => setTimeout(resolve, 300));
		}

		if (demoDir) {
			const dir = demoDir;
			onTestFinished(() => fs.rmSync(dir, {recursive: true, force: true}));
		}
		const context = `last screen:\n${last}`;
		expect(demoDir, context).toMatch(/sentinel-demo-/);
		expect([...seenSeverities].sort(), context).toEqual([...severities].sort());
		expect([...seenActions].sort(), context).toEqual([...actions].sort());

		// The audit log agrees: each action was carried out, not only started.
		const done = new Set(readAudit(demoDir!).filter(entry => entry.result === 'ok').map(entry => entry.action));
		expect([...done].sort()).toEqual([...actions].sort());

		// Something to clean up, so the check after `q` can fail.
		expect((await demoProcesses(demoDir!, home)).length).toBeGreaterThan(0);

		await terminal.keys('q');
		expect(await waitFor(async () => !(await terminal.alive()), 15_000, 200), 'the demo exits on q').toBe(true);
		expect(await waitFor(async () => (await demoProcesses(demoDir!, home)).length === 0, 5_000, 200)).toBe(true);
		expect(await demoProcesses(demoDir!, home)).toEqual([]);
		expect(fs.existsSync(demoDir!), 'the demo removes its jobs directory').toBe(false);
	}, 150_000);

	test('shows a loop, a prompt, a socket and a broken rhythm within two minutes, and closes its server on SIGINT', async () => {
		const home = makeTempDir('sentinel-demo-home-');
		// Not a terminal: the demo prints headless events. Its own group, ended (SIGINT, then SIGKILL) when the test ends.
		const demo = spawn(process.execPath, [cliPath, 'demo'], {env: cliEnv(home), stdio: ['ignore', 'pipe', 'ignore'], detached: true});
		const exited = new Promise(resolve => demo.once('exit', resolve));
		onTestFinished(async () => {
			if (demo.exitCode !== null || demo.signalCode !== null) return;
			demo.kill('SIGINT');
			const ended = await Promise.race([exited.then(() => true), new Promise(resolve => setTimeout(() => resolve(false), 15_000))]);
			if (!ended) process.kill(-demo.pid!, 'SIGKILL');
		});

		// What each new job should show: its diagnosis, or for broken-rhythm its cadence at medium.
		const wanted: Record<string, (event: DemoEvent) => boolean> = {
			'looping-agent': event => event.diagnosis?.kind === 'looping-output' && /tool_call id=<?/.test(event.diagnosis.detail),
			'prompt-waiter': event => event.diagnosis?.kind === 'waiting-for-input',
			'socket-waiter': event => event.diagnosis?.kind === 'waiting-on-network' && /127\.0\.0\.1:\d+/.test(event.diagnosis.detail),
			'broken-rhythm': event => event.evidence?.some(signal => signal.name === 'cadence' && signal.severity === 'medium') ?? false,
		};
		const seen = new Map<string, DemoEvent>();
		let demoDir: string | undefined;
		const lines = readline.createInterface({input: demo.stdout!});
		const allSeen = new Promise<void>(resolve => {
			lines.on('line', line => {
				const event = JSON.parse(line) as DemoEvent;
				if (event.type === 'sentinel.started') demoDir = event.jobs_dir;
				const check = event.type === 'assessment' ? wanted[event.job_id ?? ''] : undefined;
				if (check?.(event) && !seen.has(event.job_id!)) seen.set(event.job_id!, event);
				if (seen.size === Object.keys(wanted).length) resolve();
			});
		});
		await Promise.race([allSeen, new Promise(resolve => setTimeout(resolve, 120_000))]);
		if (demoDir) {
			const dir = demoDir;
			onTestFinished(() => fs.rmSync(dir, {recursive: true, force: true}));
		}
		expect([...seen.keys()].sort()).toEqual(Object.keys(wanted).sort());

		// The silent server is the demo's: it answers connections until the demo ends, then is gone.
		const port = Number(/127\.0\.0\.1:(\d+)/.exec(seen.get('socket-waiter')!.diagnosis!.detail)![1]);
		const connects = async () =>
			new Promise<boolean>(resolve => {
				const socket = net.connect(port, '127.0.0.1', () => {
					socket.destroy();
					resolve(true);
				});
				socket.on('error', () => resolve(false));
			});
		expect(await connects()).toBe(true);
		expect((await demoProcesses(demoDir!, home)).length).toBeGreaterThan(0);

		demo.kill('SIGINT');
		await exited;
		expect(await waitFor(async () => (await demoProcesses(demoDir!, home)).length === 0, 5_000, 200)).toBe(true);
		expect(await connects(), 'the demo closes its server').toBe(false);
		expect(fs.existsSync(demoDir!), 'the demo removes its jobs directory').toBe(false);
	}, 150_000);
});

/** The fields of a headless event the demo's checks read. */
type DemoEvent = {
	type: string;
	job_id?: string;
	jobs_dir?: string;
	diagnosis?: {kind: string; detail: string} | null;
	evidence?: Array<{name: string; severity: string}>;
};
