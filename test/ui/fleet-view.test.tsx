import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {makeTempDir} from '../helpers/temp-dir.js';
import {makeAudit, makeFakeEngine, now} from './fake-engine.js';
import {makeFleetJob, makeFleetSnapshot, makeHost} from './fake-fleet.js';
import {keys, renderApp} from './render-app.js';

// The fleet view (SPEC section 14) drawn from a snapshot with `fleet`: the same App, a HOST column,
// the hosts in the header, only what Prometheus knows in the detail view.

const hosts = () => [makeHost('alpha', 1000), makeHost('bravo', 3000), makeHost('charlie', 95_000, true)];
const fleetJobs = () => [
	makeFleetJob('alpha', {id: 'train', severity: 'ok', silenceMs: 5_000, cpuHistory: [10, 20, 30], rssHistory: [1, 2, 3]}),
	makeFleetJob('bravo', {id: 'train', severity: 'high', silenceMs: 2_000_000, status: 'REVIEWING'}),
	makeFleetJob('bravo', {id: 'lint', severity: 'low', silenceMs: 900_000}),
	makeFleetJob('charlie', {id: 'index', severity: 'medium', silenceMs: 1_000_000, stale: true}),
];

const lines = (frame: string) => frame.split('\n');
/** The table's rows as [host, id], in order (the title line left out). */
const rows = (frame: string) =>
	lines(frame)
		.filter(line => /^[› ][‖ ][≈ ] \S/.test(line) && !line.includes('SEV'))
		.map(line => line.slice(4).trim().split(/\s+/).slice(0, 2).join(' '));

describe('the fleet view', () => {
	it('lists every host\'s jobs with a HOST column, stale rows marked, and each host with its last scrape in the header', async () => {
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs())), {columns: 100, rows: 24});
		const frame = screen.frame();
		// No PID or UPTIME: the metrics carry neither.
		expect(lines(frame).find(line => line.includes('SEV'))).toMatch(/^ {4}HOST +ID +ROLE +STATUS +SEV▾ +SILENT +CPU +MEM +WHY$/);
		expect(rows(frame)).toEqual(['bravo train', 'charlie index', 'bravo lint', 'alpha train']);
		// The stale host's job keeps its last values, marked.
		expect(lines(frame).find(line => line.includes('index'))).toMatch(/^ {2}≈ charlie +index +worker +RUNNING +medium/);
		expect(frame).toContain('sentinel-tui fleet 12:00:00'.slice(0, 19));
		expect(frame).toContain('http://127.0.0.1:9090');
		expect(frame).toContain('3 hosts: alpha 1s · bravo 3s · charlie stale 1m35s');
		// Nothing of one jobs directory's actor or auto: each host's sentinel has its own.
		const header = lines(frame).slice(0, 3).join('\n');
		expect(header).not.toContain('auto ');
		expect(header).not.toContain('observer');
		expect(header).not.toContain('interventions/h');
	});

	it('says what is wrong with a live host in the header', async () => {
		const leaderless = {...makeHost('delta', 2000), problem: 'no sentinel acts on its jobs (none holds the leader lock)'};
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot([...hosts(), leaderless], fleetJobs())), {columns: 160, rows: 24});
		expect(screen.frame()).toContain('delta 2s (no sentinel acts on its jobs (none holds the leader lock))');
	});

	it('says when Prometheus cannot be read, keeping the last data', async () => {
		const snapshot = makeFleetSnapshot(hosts(), fleetJobs(), {generatedAt: now + 12_000, fleet: {problem: 'Prometheus at http://127.0.0.1:9090 did not answer within 5 s', refreshedMs: now}});
		const screen = await renderApp(makeFakeEngine(snapshot), {columns: 140, rows: 24});
		expect(screen.frame()).toContain('Prometheus at http://127.0.0.1:9090 did not answer within 5 s (data from 12s ago)');
		expect(rows(screen.frame())).toHaveLength(4);
	});

	it('filters by host, and shows faults only and sorts across hosts', async () => {
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs())), {columns: 100, rows: 24});
		await screen.press('/', 'b', 'r', 'a', 'v', keys.enter);
		expect(rows(screen.frame())).toEqual(['bravo train', 'bravo lint']);
		await screen.press('/', keys.escape, 'f');
		expect(rows(screen.frame())).toEqual(['bravo train', 'charlie index', 'bravo lint']);
		await screen.press('f', 's', 's');
		// By id, then host: the two `train` jobs stay apart and in a steady order.
		expect(rows(screen.frame())).toEqual(['charlie index', 'bravo lint', 'alpha train', 'bravo train']);
	});

	it('stays legible at 60x15: host, id and severity on every row, help and quit in the footer', async () => {
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs(), {recentAudit: [makeAudit({job_id: 'train'})]})), {columns: 60, rows: 15});
		const frame = lines(screen.frame());
		expect(frame.length).toBeLessThanOrEqual(14);
		for (const line of frame) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
		expect(frame.find(line => line.includes('SEV'))).toMatch(/^ {4}HOST +ID +STATUS +SEV/);
		expect(rows(screen.frame()).slice(0, 3)).toEqual(['bravo train', 'charlie index', 'bravo lint']);
		expect(frame.at(-1)).toMatch(/^\? help.*q quit$/);
	});

	it('opens a detail view of what Prometheus knows, and reads nothing local for it', async () => {
		// A directory here that happens to have the fleet job's path would show its output: it must not.
		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), 'LOCAL-OUTPUT-LINE\n');
		const job = makeFleetJob('alpha', {id: 'train', dir, severity: 'high', silenceMs: 2_000_000, cpuHistory: [0, 50, 100], rssHistory: [10, 20, 40], diagnosis: {kind: 'waiting-on-network', pid: null, command: null, detail: ''}});
		const recentAudit = [makeAudit({job_id: 'train', host: 'alpha', reason: 'stopped 2 processes'}), makeAudit({job_id: 'train', host: 'bravo', reason: 'the other host'})];
		// The fleet engine is told which job's history to ask Prometheus for while its detail is open.
		const histories: Array<string | null> = [];
		const engine = Object.assign(makeFakeEngine(makeFleetSnapshot(hosts(), [job], {recentAudit})), {showHistory: (dir: string | null) => histories.push(dir)});
		const screen = await renderApp(engine, {columns: 100, rows: 40});
		await screen.press(keys.enter);
		await screen.settle();
		expect(histories.at(-1)).toBe(job.job.dir);
		const frame = screen.frame();
		expect(frame).toContain('Job train  high  on alpha  RUNNING  worker  silent 33m20s');
		expect(frame).toMatch(/Host: alpha \(127\.0\.0\.1:\d+\), last scraped 1s ago/);
		expect(frame).toContain('Jobs directory there: /srv/alpha/jobs');
		expect(frame).toMatch(/Why: waiting-on-network$/m);
		expect(frame).toMatch(/CPU +100% +▁▅█/);
		expect(frame).toMatch(/Memory +40B +▃▅█/);
		expect(frame).toContain('terminate train on alpha ok user high stopped 2 processes');
		expect(frame).not.toContain('the other host');
		expect(frame).not.toContain('Processes (');
		expect(frame).not.toContain('LOCAL-OUTPUT-LINE');
		expect(frame).not.toContain('Output (');
		await screen.press(keys.escape);
		expect(histories.at(-1)).toBeNull();
	});

	it('says `a` does not apply (and leaves it out of the footer), and asks naming the host before acting; the result names the host', async () => {
		const engine = makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs()), target => makeAudit({job_id: target.jobId, action: 'terminate', host: 'bravo', result: 'ok', reason: 'stopped 1 process'}));
		const screen = await renderApp(engine, {columns: 120, rows: 30});
		const footer = lines(screen.frame()).at(-1) ?? '';
		expect(footer).toContain('x terminate');
		expect(footer).toContain('q quit');
		expect(footer).not.toContain('a auto');
		await screen.press('a');
		expect(screen.frame()).toContain('auto does not apply in the fleet view');
		expect(engine.autos).toEqual([]);
		await screen.press('x');
		expect(screen.frame()).toContain('Terminate job train on host bravo?');
		expect(screen.frame()).toContain('runs there: sentinel-tui terminate train --jobs-dir /srv/bravo/jobs --yes --json');
		expect(screen.frame()).toContain('SIGTERM its tree, SIGKILL after grace; status -> INTERVENTION_REQUIRED');
		await screen.press('y');
		expect(engine.acts).toEqual([{action: 'terminate', target: {jobId: 'train', dir: '/srv/bravo/jobs/train', pid: null, processStartMs: null}}]);
		expect(screen.frame()).toContain('terminate train on bravo: ok (stopped 1 process)');
		// The engine's entry reaches the log panel with its host.
		engine.setSnapshot(makeFleetSnapshot(hosts(), fleetJobs(), {tick: 2, recentAudit: [makeAudit({job_id: 'train', host: 'bravo', reason: 'stopped 1 process'})]}));
		await screen.settle();
		expect(lines(screen.frame()).find(line => /^\d\d:\d\d:\d\d terminate/.test(line))).toMatch(/terminate train on bravo ok user high stopped 1 process/);
	});

	it('pauses a job by its row: one job id may be on several hosts', async () => {
		const engine = makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs()));
		const screen = await renderApp(engine, {columns: 100, rows: 24});
		await screen.press('p');
		expect(engine.pauses).toEqual([{jobId: '/srv/bravo/jobs/train', paused: true}]);
		expect(screen.frame()).toContain('train on bravo: automatic action paused');
	});

	it('explains its own terms in the help, in place of the actor\'s', async () => {
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot(hosts(), fleetJobs())), {columns: 100, rows: 40});
		await screen.press('?');
		const frame = screen.frame();
		expect(frame).toContain('HOST: the host whose sentinel reports the job; x, r and p run on it through --remote-command');
		expect(frame).toContain('≈ before a host: it is down or not scraped lately');
		expect(frame).not.toContain('actor: this sentinel holds the leader lock');
	});

	it('refuses to ask about a job of a host it does not know', async () => {
		const engine = makeFakeEngine(makeFleetSnapshot([makeHost('alpha')], [makeFleetJob('zulu', {id: 'orphan'})]));
		const screen = await renderApp(engine, {columns: 100, rows: 24});
		await screen.press('r');
		expect(screen.frame()).toContain('orphan: no host known for it in Prometheus');
		expect(screen.frame()).not.toContain('Recover job');
	});
});
