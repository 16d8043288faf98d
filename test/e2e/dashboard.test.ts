import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {isAlive, startProcess, waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {childPids, startTmux, type TmuxPane} from '../helpers/tmux.js';

// The built dashboard in a real terminal: tmux runs an interactive shell, the test types the
// command an operator types, reads the screen, and checks the real processes and files behind it.
// Automatic action is off (--no-auto): every change here comes from a key or a signal.

const prompt = 'READY$ ';
const promptRow = prompt.trimEnd();
const longId = (index: number) => `job-with-a-long-identifier-${String(index).padStart(2, '0')}`;

/** A real `sleep` the test owns (killed when it ends); its pid. */
function sleeper(): number {
	return startProcess('sleep', ['1000']).pid!;
}

/** A job directory `id` whose manifest names `fields` (status RUNNING, role worker unless given). */
function addJob(jobsDir: string, id: string, fields: Record<string, unknown> = {}): string {
	return writeJob(jobsDir, id, {job_id: id, status: 'RUNNING', role: 'worker', ...fields});
}

function manifestOf(jobDir: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.join(jobDir, 'job_manifest.json'), 'utf8')) as Record<string, unknown>;
}

/** An interactive bash in a tmux pane, prompt `READY$ `, waiting at its prompt. */
async function openShell(columns: number, rows: number): Promise<TmuxPane> {
	const home = makeTempDir('sentinel-home-');
	const pane = startTmux({command: ['bash', '--norc', '--noprofile'], columns, rows, home, env: {PS1: prompt, HISTFILE: ''}});
	await pane.waitFor('shell prompt', screen => screen.includes(promptRow));
	return pane;
}

/** Type a command line at the shell and press Enter. */
function run(pane: TmuxPane, line: string): void {
	pane.type(line);
	pane.press('Enter');
}

function isHeader(row: string | undefined): boolean {
	return row?.startsWith('sentinel-tui ') ?? false;
}

/** Resolves once the header's clock, set by each tick of the engine (1 s here), has moved twice. */
async function twoTicks(pane: TmuxPane): Promise<void> {
	const headers = new Set<string>();
	await pane.waitFor('two ticks', screen => headers.add(screen[0] ?? '').size >= 3, {timeoutMs: 20_000});
}

/** Start the dashboard on `jobsDir` from the shell; resolves with its pid once `ready` shows on its screen. */
async function launch(pane: TmuxPane, jobsDir: string, ready: (screen: string[]) => boolean, flags: string[] = []): Promise<number> {
	run(pane, [process.execPath, cliPath, jobsDir, '--no-auto', '--interval', '1s', ...flags].map(word => `'${word}'`).join(' '));
	await pane.waitFor('dashboard', screen => pane.display('#{alternate_on}') === '1' && isHeader(screen[0]) && ready(screen));
	const [pid] = childPids(pane.panePid);
	expect(pid, 'the dashboard is the shell’s child').toBeGreaterThan(1);
	return pid!;
}

function rowOf(screen: string[], text: string): string | undefined {
	return screen.find(row => row.includes(text));
}

/** The table row holding `text` (table rows start with the selection mark or a space). */
function tableRowOf(screen: string[], text: string): string | undefined {
	return screen.find(row => /^[› ]/.test(row) && row.includes(text));
}

/** Rows of the table showing one of the long-id jobs. */
function jobRows(screen: string[]): string[] {
	// At 80 columns the ID column shows `job-with…fier-00` (ids are cut in the middle).
	return screen.filter(row => /^\S?\s+job-with/.test(row));
}

/**
 * The frame fits: no row wider than the terminal (wrapped rows are joined back first, so a row
 * that overflowed shows as one long row), the header on the first row (nothing scrolled off),
 * and the last row left empty.
 */
function expectFits(pane: TmuxPane, columns: number, rows: number, where: string): string[] {
	const screen = pane.capture({joined: true});
	for (const row of screen) expect(stringWidth(row), `${where}: ${JSON.stringify(row)}`).toBeLessThanOrEqual(columns);
	expect(screen.length, `${where}: rows captured`).toBe(rows);
	expect(isHeader(screen[0]), `${where}: header on the first row`).toBe(true);
	const used = screen.findLastIndex(row => row.trim() !== '') + 1;
	expect(used, `${where}: frame height`).toBeLessThanOrEqual(rows - 1);
	return screen;
}

/** A checksum of the terminal's modes (`stty -g`), printed as a row of its own. */
async function ttyModes(pane: TmuxPane, label: string): Promise<string> {
	run(pane, `echo "${label}-$(stty -g | cksum | cut -d' ' -f1)"`);
	const pattern = new RegExp(`^${label}-(\\d+)$`);
	const screen = await pane.waitFor(`${label} modes`, rows => rows.some(row => pattern.test(row)));
	return pattern.exec(screen.find(row => pattern.test(row))!)![1]!;
}

/** Many jobs with long ids, each naming a real sleep: more than 24 rows can show. */
function manyJobs(count: number): string {
	const jobsDir = makeTempDir('sentinel-jobs-');
	for (let index = 0; index < count; index++) addJob(jobsDir, longId(index), {process_id: sleeper(), description: `job number ${index}`});
	return jobsDir;
}

describe('the dashboard in a terminal', () => {
	test('the table shows each job with its id, status and the pid of its real process', async () => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		const jobs = [
			{id: 'alpha-build', status: 'RUNNING', role: 'worker', pid: sleeper()},
			{id: 'beta-review', status: 'REVIEWING', role: 'supervisor', pid: sleeper()},
			{id: 'gamma-queued', status: 'PENDING', role: 'worker', pid: sleeper()},
		];
		for (const job of jobs) addJob(jobsDir, job.id, {status: job.status, role: job.role, process_id: job.pid});
		const pane = await openShell(120, 30);
		await launch(pane, jobsDir, screen => jobs.every(job => rowOf(screen, job.id)));

		const screen = pane.capture();
		expect(screen[1]).toMatch(/^3 jobs/);
		// Attributes reach the terminal: exactly one row, the selected one, is in reverse video.
		const styled = pane.capture({escapes: true}).filter(row => jobs.some(job => row.includes(job.id)));
		expect(styled.filter(row => /\u001b\[(?:0;)?7m/.test(row))).toHaveLength(1);
		for (const job of jobs) {
			const row = rowOf(screen, job.id)!;
			// ROLE is six columns wide: `supervisor` shows as `super…`.
			expect(row).toMatch(new RegExp(`^\\S?\\s+${job.id}\\s+${job.role.slice(0, 5)}\\S*\\s+${job.status}\\s+${job.pid}\\s+ok\\b`));
		}
	});

	test('x then y terminates the selected job: its process dies, the log shows it, the manifest says so', async () => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		const pid = sleeper();
		const jobDir = addJob(jobsDir, 'stuck-job', {process_id: pid});
		const pane = await openShell(80, 24);
		await launch(pane, jobsDir, screen => rowOf(screen, 'stuck-job') !== undefined, ['--grace', '2s']);

		pane.press('x');
		await pane.waitFor('confirmation', screen => rowOf(screen, 'Terminate job stuck-job?') !== undefined && rowOf(screen, `pid ${pid}`) !== undefined);
		expect(isAlive(pid), 'nothing happens before y').toBe(true);
		pane.press('y');

		const screen = await pane.waitFor('log entry', rows => rows.some(row => /^\d\d:\d\d:\d\d terminate stuck-job ok user\b/.test(row)));
		expect(rowOf(screen, 'Interventions')).toBeDefined();
		expect(await waitFor(() => !isAlive(pid), 5000), `sleep ${pid} is dead`).toBe(true);
		expect(manifestOf(jobDir)['status']).toBe('INTERVENTION_REQUIRED');
		const done = readAudit(jobsDir).filter(entry => entry.result !== 'started');
		expect(done).toMatchObject([{job_id: 'stuck-job', action: 'terminate', actor: 'user', result: 'ok', pids: {signalled: [pid]}}]);
	});

	test('x then Enter leaves the job running: No is the default', async () => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		const pid = sleeper();
		const jobDir = addJob(jobsDir, 'calm-job', {process_id: pid});
		const pane = await openShell(80, 24);
		await launch(pane, jobsDir, screen => rowOf(screen, 'calm-job') !== undefined);

		pane.press('x');
		await pane.waitFor('confirmation', screen => rowOf(screen, 'Terminate job calm-job?') !== undefined);
		pane.press('Enter');
		const screen = await pane.waitFor('dialog closed', rows => rowOf(rows, 'terminate calm-job: not done') !== undefined);
		expect(rowOf(screen, 'Terminate job')).toBeUndefined();
		expect(rowOf(screen, 'Directory:'), 'Enter went to the dialog, not to the detail view').toBeUndefined();

		// Proving that nothing happens takes a wait: two ticks of the engine.
		await twoTicks(pane);
		expect(isAlive(pid)).toBe(true);
		expect(readAudit(jobsDir)).toEqual([]);
		expect(manifestOf(jobDir)['status']).toBe('RUNNING');
		expect(rowOf(pane.capture(), 'Interventions')).toBeUndefined();
	});

	test('keys that arrive in one read each count, in order: jjx, then /filter and Enter', async () => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		// Short ids: whole in the ID column at 80 columns.
		const ids = ['alpha-one', 'beta-two', 'gamma-3', 'delta-four'];
		for (const id of ids) addJob(jobsDir, id, {process_id: sleeper()});
		const pane = await openShell(80, 24);
		await launch(pane, jobsDir, screen => ids.every(id => rowOf(screen, id)));
		const order = pane.capture().flatMap(row => ids.filter(id => tableRowOf([row], id)));
		expect(order).toHaveLength(4);
		expect(tableRowOf(pane.capture(), order[0]!)).toMatch(/^›/);

		// One write to the terminal, so one read: as when keys are typed ahead of a slow frame.
		pane.type('jjx');
		await pane.waitFor('confirmation for the third job', screen => rowOf(screen, `Terminate job ${order[2]}?`) !== undefined);
		expect(tableRowOf(pane.capture(), order[2]!)).toMatch(/^›/);
		pane.type('n');
		await pane.waitFor('dialog closed', screen => rowOf(screen, `terminate ${order[2]}: not done`) !== undefined);

		pane.type(`/${order[3]}\r`);
		// Kept, not still being typed (the status line shows the last message for a while).
		const screen = await pane.waitFor('filter kept', rows => rowOf(rows, 'Enter: keeps') === undefined && ids.filter(id => tableRowOf(rows, id)).length === 1);
		expect(ids.filter(id => tableRowOf(screen, id))).toEqual([order[3]]);
		expect(readAudit(jobsDir)).toEqual([]);
	});

	test('at 80x24 every screen fits: no row wider than 80, the last row never used', async () => {
		const jobsDir = manyJobs(30);
		const pane = await openShell(80, 24);
		await launch(pane, jobsDir, screen => jobRows(screen).length > 0);

		const table = expectFits(pane, 80, 24, 'table');
		expect(jobRows(table).length, 'the table fills the screen').toBe(24 - 1 - 5);
		expect(table[22], 'the footer sits on row 23').toMatch(/^\? help/);

		pane.press('Enter');
		await pane.waitFor('detail view', screen => rowOf(screen, 'Directory:') !== undefined);
		expectFits(pane, 80, 24, 'detail');
		// One key at a time: Escape and the next key read together would be Alt+key.
		pane.press('Escape');
		await pane.waitFor('table', screen => rowOf(screen, 'Directory:') === undefined);
		pane.press('?');
		await pane.waitFor('help', screen => rowOf(screen, 'Quit the dashboard') !== undefined);
		expectFits(pane, 80, 24, 'help');
		pane.press('Escape');
		await pane.waitFor('table', screen => rowOf(screen, 'Quit the dashboard') === undefined);
		pane.press('x');
		await pane.waitFor('confirmation', screen => rowOf(screen, 'Terminate job') !== undefined);
		expectFits(pane, 80, 24, 'confirmation');
		pane.press('n');
		await pane.waitFor('dialog closed', screen => rowOf(screen, ': not done') !== undefined);
		expectFits(pane, 80, 24, 'table after the dialog');
	});

	test('after a resize to 120x40 the table uses the room, and back at 80x24 it fits again', async () => {
		const jobsDir = manyJobs(40);
		const pane = await openShell(80, 24);
		await launch(pane, jobsDir, screen => jobRows(screen).length > 0);
		const narrow = expectFits(pane, 80, 24, '80x24');
		const narrowRows = jobRows(narrow);
		expect(narrowRows.some(row => row.includes(longId(0))), 'the long id is cut at 80 columns').toBe(false);

		pane.resize(120, 40);
		await pane.waitFor('more rows', screen => jobRows(screen).length > narrowRows.length);
		await pane.waitFor('wider id column', screen => jobRows(screen).some(row => row.includes(longId(0)) || row.includes(longId(1))));
		const wide = expectFits(pane, 120, 40, '120x40');
		expect(jobRows(wide).length).toBe(40 - 1 - 5);
		const widest = (rows: string[]) => Math.max(...rows.map(row => stringWidth(row.trimEnd())));
		expect(widest(jobRows(wide))).toBeGreaterThan(widest(narrowRows));
		expect(widest(jobRows(wide))).toBeGreaterThan(80);

		// Narrower again: the old, wider frame must not rewrap into garbage.
		pane.resize(80, 24);
		await pane.waitFor('fewer rows', screen => jobRows(screen).length === narrowRows.length);
		await waitFor(() => {
			const screen = pane.capture({joined: true});
			return screen.every(row => stringWidth(row) <= 80) && isHeader(screen[0]);
		}, 3000);
		expectFits(pane, 80, 24, 'back at 80x24');
	});

	test('escape sequences in a job file reach the screen as plain text', async () => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		addJob(jobsDir, 'bystander-job', {process_id: sleeper(), description: 'an ordinary job'});
		const hostileDir = addJob(jobsDir, 'hostile-job', {process_id: sleeper(), description: 'set \u001b]0;owned\u0007 title then \u001b[2J clear'});
		expect(fs.readFileSync(path.join(hostileDir, 'job_manifest.json'), 'utf8')).toContain('\\u001b]0;owned\\u0007');
		const pane = await openShell(80, 24);
		// This terminal does obey a title sequence: the check below could fail.
		run(pane, `printf '\\033]0;before-title\\007'`);
		await waitFor(() => pane.display('#{pane_title}') === 'before-title', 5000);
		expect(pane.display('#{pane_title}')).toBe('before-title');

		// At 80 columns the ID column shows `hostile-j…`.
		await launch(pane, jobsDir, screen => rowOf(screen, 'hostile-j') !== undefined && rowOf(screen, 'bystander') !== undefined);
		pane.press('/');
		await pane.waitFor('filter prompt', screen => rowOf(screen, 'Enter: keeps, Esc: clears') !== undefined);
		pane.type('hostile');
		await pane.waitFor('filter typed', screen => rowOf(screen, '/hostile_') !== undefined);
		pane.press('Enter');
		await pane.waitFor('filter kept', screen => rowOf(screen, 'Enter: keeps') === undefined && tableRowOf(screen, 'bystander') === undefined);
		pane.press('Enter');
		await pane.waitFor('detail view', screen => rowOf(screen, 'Description:') !== undefined);
		// Two redraws at least (the clock ticks each second): a clear inside the description would
		// wipe the rows above it on every frame. (Ink drops such CSI sequences itself today; the title
		// sequence is stopped by the sanitizer alone.)
		await twoTicks(pane);
		const screen = pane.capture();
		expect(rowOf(screen, 'Description:')).toMatch(/^Description: set .*title then .*clear/);
		expect(isHeader(screen[0]), 'the header is still there').toBe(true);
		expect(screen[1]).toMatch(/^2 jobs/);
		expect(rowOf(screen, 'Job hostile-job')).toBeDefined();
		expect(rowOf(screen, `Directory: ${hostileDir}`.slice(0, 60))).toBeDefined();
		expect(rowOf(screen, 'Evidence')).toBeDefined();
		expect(pane.display('#{pane_title}')).toBe('before-title');
	});

	const ends = [
		{name: 'q', end: (pane: TmuxPane) => pane.press('q')},
		{name: 'Ctrl-C', end: (pane: TmuxPane) => pane.press('C-c')},
		{name: 'SIGINT', end: (_pane: TmuxPane, pid: number) => process.kill(pid, 'SIGINT')},
		{name: 'SIGTERM', end: (_pane: TmuxPane, pid: number) => process.kill(pid, 'SIGTERM')},
		{name: 'SIGHUP', end: (_pane: TmuxPane, pid: number) => process.kill(pid, 'SIGHUP')},
	];
	test.each(ends)('$name leaves the alternate screen and gives the shell back as it was', async ({end}) => {
		const jobsDir = makeTempDir('sentinel-jobs-');
		addJob(jobsDir, 'some-job', {process_id: sleeper()});
		const pane = await openShell(80, 24);
		run(pane, 'echo before-marker');
		await pane.waitFor('marker', screen => screen.includes('before-marker'));
		const modes = await ttyModes(pane, 'before');

		const pid = await launch(pane, jobsDir, screen => rowOf(screen, 'some-job') !== undefined);
		expect(pane.capture().includes('before-marker'), 'the dashboard has a screen of its own').toBe(false);
		expect(pane.display('#{cursor_flag}'), 'cursor hidden while drawing').toBe('0');
		end(pane, pid);

		await pane.waitFor('prompt after the dashboard', screen => pane.display('#{alternate_on}') === '0' && screen.filter(row => row === promptRow).length > 0);
		expect(await waitFor(() => childPids(pane.panePid).length === 0, 5000), 'the dashboard has exited').toBe(true);
		const screen = pane.capture();
		expect(screen, 'the screen from before is back').toContain('before-marker');
		expect(screen.some(row => isHeader(row)), 'no dashboard left on the normal screen').toBe(false);
		expect(pane.display('#{cursor_flag}'), 'cursor visible').toBe('1');

		run(pane, 'echo ok-after');
		await pane.waitFor('echo output', rows => rows.includes('ok-after'));
		expect(await ttyModes(pane, 'after')).toBe(modes);
	});
});
