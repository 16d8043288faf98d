import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import type {JobView} from '../../source/sentinel/snapshot.js';
import {makeAudit, makeFakeEngine, makeInvalidJob, makeJob, makeSnapshot} from './fake-engine.js';
import {keys, renderApp} from './render-app.js';

const lines = (frame: string) => frame.split('\n');
const rowOf = (frame: string, id: string) => lines(frame).find(line => line.includes(` ${id} `) || line.includes(` ${id}…`)) ?? '';

function manyJobs(count: number): JobView[] {
	const severities = ['ok', 'low', 'medium', 'high', 'critical'] as const;
	return Array.from({length: count}, (_, index) =>
		makeJob({id: `job-${String(index).padStart(3, '0')}-with-a-rather-long-name`, severity: severities[index % 5], silenceMs: index * 61_000, cpuHistory: [index % 100, 50, 100], rssHistory: [1, 2, 3], description: 'x'.repeat(300)}),
	);
}

describe('job table', () => {
	it('draws the header, the column titles and one line a job', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'alpha', severity: 'medium', silenceMs: 252_000, cpu: 42, rss: 1.5 * 2 ** 30})], interventionsLastHour: 2}));
		const screen = await renderApp(engine, {columns: 100, rows: 24});
		const frame = screen.frame();
		expect(frame).toContain('/jobs');
		expect(frame).toContain('auto on');
		expect(frame).toContain('2/5 interventions/h');
		expect(frame).toContain('actor');
		expect(frame).toMatch(/sentinel-tui \d\d:\d\d:00/);
		expect(frame).toMatch(/ID +ROLE +STATUS +PID +SEV▾ +SILENT +CPU +MEM +UPTIME/);
		const row = rowOf(frame, 'alpha');
		expect(row).toMatch(/› +alpha +worker +RUNNING +4242 +medium +4m12s +42%.*1\.5GB.* 2h00m$/);
		expect(frame).toContain('medium 1');
		expect(frame).toContain('RUNNING 1');
	});

	it('counts statuses written in any case as one', async () => {
		const jobs = [makeJob({id: 'a', status: 'running'}), makeJob({id: 'b', status: 'RUNNING'}), makeJob({id: 'c', status: 'Reviewing'})];
		const frame = (await renderApp(makeFakeEngine(makeSnapshot({jobs})), {columns: 100, rows: 24})).frame();
		expect(frame).toContain('RUNNING 2  REVIEWING 1');
	});

	it('says who acts when this instance only observes, and marks a dry run', async () => {
		const snapshot = makeSnapshot({auto: false, dryRun: true, actor: {acting: false, leader: {pid: 321, host: 'box\u001B[31m'}, problem: null}, notices: ['polling 3 jobs: inotify limit']});
		const frame = (await renderApp(makeFakeEngine(snapshot), {columns: 140})).frame();
		expect(frame).toContain('auto off');
		expect(frame).toContain('observer, pid 321@box acts');
		expect(frame).toContain('DRY-RUN');
		expect(frame).toContain('polling 3 jobs: inotify limit');
		const alone = makeSnapshot({auto: false, actor: {acting: false, leader: null, problem: null}});
		expect((await renderApp(makeFakeEngine(alone), {columns: 140})).frame()).toContain('observer, no sentinel acts');
		const barred = makeSnapshot({actor: {acting: false, leader: null, problem: '/j/.sentinel is a symbolic link: never followed (remove it)'}});
		expect((await renderApp(makeFakeEngine(barred), {columns: 160})).frame()).toContain('observer, cannot lead: /j/.sentinel is a symbolic link');
	});

	it('writes every severity as text, so NO_COLOR loses nothing', async () => {
		const jobs = (['ok', 'low', 'medium', 'high', 'critical'] as const).map(severity => makeJob({id: `sev-${severity}`, severity}));
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs})), {color: false});
		for (const severity of ['ok', 'low', 'medium', 'high', 'critical']) expect(rowOf(screen.frame(), `sev-${severity}`)).toMatch(new RegExp(` ${severity} `));
		expect(screen.frame()).not.toContain('\u001B[');
	});

	it('draws sparklines in unicode blocks, or ASCII with --ascii', async () => {
		const jobs = [makeJob({id: 'spark', cpuHistory: [0, 50, 100], rssHistory: [10, 20, 40]})];
		const unicode = await renderApp(makeFakeEngine(makeSnapshot({jobs})));
		expect(rowOf(unicode.frame(), 'spark')).toContain('▁▅█');
		const ascii = await renderApp(makeFakeEngine(makeSnapshot({jobs})), {ascii: true});
		expect(rowOf(ascii.frame(), 'spark')).toContain('_-#');
		expect(/^[\n\u0020-\u007E]*$/.test(ascii.frame())).toBe(true);
	});

	it('shows invalid jobs with their reason, never hides them', async () => {
		const jobs = [makeJob({id: 'fine'}), makeInvalidJob('broken', 'job_manifest.json is not JSON')];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs})));
		expect(rowOf(screen.frame(), 'broken')).toMatch(/broken .* invalid +job_manifest\.json is not JSON/);
		expect(screen.frame()).toContain('invalid 1');
	});

	it('marks paused jobs', async () => {
		const jobs = [makeJob({id: 'held', paused: true, severity: 'high'}), makeJob({id: 'free'})];
		const unicode = await renderApp(makeFakeEngine(makeSnapshot({jobs})));
		expect(rowOf(unicode.frame(), 'held')).toMatch(/^›‖ held/);
		expect(rowOf(unicode.frame(), 'free')).toMatch(/^ {3}free/);
		const ascii = await renderApp(makeFakeEngine(makeSnapshot({jobs})), {ascii: true});
		expect(rowOf(ascii.frame(), 'held')).toMatch(/^>P held/);
	});

	it('says it waits for a jobs directory that does not exist yet, and when there are no jobs', async () => {
		const waiting = await renderApp(makeFakeEngine(makeSnapshot({jobsDir: '/srv/jobs', jobsDirExists: false})));
		expect(waiting.frame()).toContain('waiting for /srv/jobs; add a job with: sentinel-tui run -- CMD');
		const empty = await renderApp(makeFakeEngine(makeSnapshot({jobsDir: '/srv/jobs'})));
		expect(empty.frame()).toContain('no jobs in /srv/jobs');
		// The screen drawn before the engine's first pass has finished claims neither.
		const reading = await renderApp(makeFakeEngine(makeSnapshot({jobsDir: '/srv/jobs', jobsDirExists: false, tick: 0})));
		expect(reading.frame()).toContain('reading /srv/jobs ...');
		expect(reading.frame()).not.toContain('waiting for');
		expect(reading.frame()).toContain('· starting ·');
		expect(reading.frame()).not.toContain('no sentinel acts');
	});

	it('lists interventions newest first, one line an action', async () => {
		const recentAudit = [
			makeAudit({job_id: 'first', action_id: '1', result: 'started', ts: '2025-03-01T11:00:00Z'}),
			makeAudit({job_id: 'first', action_id: '1', result: 'ok', ts: '2025-03-01T11:00:01Z'}),
			makeAudit({job_id: 'second', action_id: '2', result: 'skipped', reason: 'limit reached', ts: '2025-03-01T11:30:00Z'}),
		];
		const frame = (await renderApp(makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'a'})], recentAudit})))).frame();
		const logLines = lines(frame).filter(line => /^\d\d:\d\d:\d\d terminate/.test(line));
		expect(logLines).toHaveLength(2);
		expect(logLines[0]).toContain('second skipped');
		expect(logLines[0]).toContain('limit reached');
		expect(logLines[1]).toContain('first ok');
	});

	it('keeps the frame below the terminal height with 100 jobs, in every view', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: manyJobs(100), recentAudit: [makeAudit(), makeAudit({action_id: '2'})]}));
		for (const [columns, rows] of [[80, 24], [80, 12], [200, 60]] as const) {
			const screen = await renderApp(engine, {columns, rows});
			const check = (view: string) => {
				const frame = lines(screen.frame());
				expect(frame.length, `${view} at ${columns}x${rows}`).toBeLessThanOrEqual(rows - 1);
				for (const line of frame) expect(stringWidth(line), `${view} at ${columns}x${rows}: ${line}`).toBeLessThanOrEqual(columns);
			};

			check('table');
			await screen.press(keys.pageDown, keys.pageDown);
			check('table scrolled');
			await screen.press('x');
			check('confirmation');
			await screen.press('n', keys.enter);
			check('detail');
			await screen.press('?');
			check('help');
			screen.unmount();
		}
	});

	it('renders only the rows that fit, the selection always among them', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: manyJobs(100)}));
		const screen = await renderApp(engine, {columns: 80, rows: 24});
		const jobLines = () => lines(screen.frame()).filter(line => line.slice(3).startsWith('job-'));
		const shown = jobLines().length;
		expect(shown).toBeGreaterThan(5);
		expect(shown).toBeLessThan(24);
		await screen.press(...Array.from({length: 8}, () => 'j'), keys.pageDown, 'j');
		expect(jobLines()).toHaveLength(shown);
		expect(jobLines()[0]).not.toContain('job-000');
		expect(jobLines().filter(line => line.startsWith('›'))).toHaveLength(1);
		await screen.press('G');
		expect(jobLines().at(-1)).toMatch(/^›/);
		await screen.press('g');
		expect(jobLines()[0]).toMatch(/^›/);
	});

	it('lays out again when the terminal is resized', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: manyJobs(100)}));
		const screen = await renderApp(engine, {columns: 160, rows: 50});
		expect(lines(screen.frame()).length).toBeGreaterThan(40);
		await screen.resize(80, 20);
		const frame = lines(screen.frame());
		expect(frame.length).toBeLessThanOrEqual(19);
		for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});
});
