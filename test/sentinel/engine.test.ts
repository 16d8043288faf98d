import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {Engine} from '../../source/sentinel/engine.js';
import {startTestEngine, testConfig} from '../helpers/engine.js';
import {watching} from '../helpers/file-watches.js';
import {startNode, startProcess, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

function severityOf(engine: {getSnapshot: () => {jobs: readonly {job: {jobId: string}; severity: string}[]}}, jobId: string): string | undefined {
	return engine.getSnapshot().jobs.find(view => view.job.jobId === jobId)?.severity;
}

describe('engine with real processes and files', () => {
	it('keeps a job that writes a log line every 200 ms ok', async () => {
		const jobsDir = makeTempDir();
		const dir = path.join(jobsDir, 'chatty');
		fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
		const log = path.join(dir, 'logs', 'output.log');
		// New lines: a line that only repeats is not activity (SPEC section 11).
		const child = startNode(`let n = 0; setInterval(() => require('fs').appendFileSync(${JSON.stringify(log)}, 'line ' + n++ + '\\n'), 200)`);
		writeJob(jobsDir, 'chatty', {job_id: 'chatty', status: 'RUNNING', pid: child.pid});
		// Its silent twin, written at the same moment, says when silence alone would have made it low.
		const quiet = startProcess('sleep', ['60']);
		writeJob(jobsDir, 'quiet', {job_id: 'quiet', status: 'RUNNING', pid: quiet.pid});
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '6s', criticalTimeout: '12s'});
		// Heard once its folder is watched (its logs folder is looked at each tick from then on), long before low (3 s).
		expect(await watching([dir])).toBe(true);
		expect(await waitFor(() => severityOf(engine, 'quiet') === 'low', 20_000), 'the silent twin went low').toBe(true);
		expect(assessments.filter(event => event.args[0].jobId === 'chatty').map(event => event.args[0].severity)).toEqual(['ok']);
		expect(severityOf(engine, 'chatty')).toBe('ok');
	});

	it('climbs low, medium, high, critical at the right times for a silent job', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'silent', {job_id: 'silent', status: 'RUNNING', pid: sleeper.pid});
		const wroteAt = fs.statSync(path.join(dir, 'job_manifest.json')).mtimeMs;
		// Tiers 2 s apart, so a loaded machine's late tick cannot skip one.
		const {assessments} = await startTestEngine(jobsDir, {workerTimeout: '8s', criticalTimeout: '10s'});
		await waitFor(() => assessments.some(event => event.args[0].severity === 'critical'), 20_000);
		const firstAt = (severity: string) => assessments.find(event => event.args[0].severity === severity)?.at ?? Number.NaN;
		const expected = {low: 4000, medium: 6000, high: 8000, critical: 10_000};
		for (const [severity, ms] of Object.entries(expected)) {
			const elapsed = firstAt(severity) - wroteAt;
			// Never early; late by a few intervals (250 ms) at most: loose, as two cores are shared
			// with the rest of the suite. How soon it comes is for the benchmarks.
			expect(elapsed, severity).toBeGreaterThanOrEqual(ms);
			expect(elapsed, severity).toBeLessThan(ms + 1500);
		}
		// Told at each new severity (and when what its process does changes: active, then asleep).
		const changes = assessments.filter(event => event.args[0].severity !== event.args[0].previousSeverity);
		expect(changes.map(event => event.args[0].severity)).toEqual(['ok', 'low', 'medium', 'high', 'critical']);
		const critical = assessments.at(-1)!.args[0];
		expect(critical.previousSeverity).toBe('high');
		expect(critical.evidence.find(signal => signal.name === 'silence')).toMatchObject({severity: 'critical'});
	});

	it('raises a silent CPU spinner by one tier (busy hang)', async () => {
		const jobsDir = makeTempDir();
		const spinner = startNode('for (;;) {}');
		writeJob(jobsDir, 'spinner', {job_id: 'spinner', status: 'RUNNING', pid: spinner.pid});
		// cpuLimit 15: two cores are shared with the rest of the suite; an idle process reads 0.
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '6s', criticalTimeout: '20s', cpuLimit: '15', cpuSamples: '3'});
		await waitFor(() => assessments.some(event => event.args[0].severity !== 'ok'), 15_000);
		const first = assessments.find(event => event.args[0].severity !== 'ok')!.args[0];
		// Without the raise, silence alone would make it low at 3 s.
		expect(first.severity).toBe('medium');
		expect(first.evidence.find(signal => signal.name === 'busy')).toMatchObject({severity: 'medium'});
		expect(engine.getSnapshot().jobs[0]!.sample!.cpuPercent).toBeGreaterThan(15);
	});

	it('judges a RUNNING job whose process has exited high, with process lost', async () => {
		const jobsDir = makeTempDir();
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'orphaned', {job_id: 'orphaned', status: 'RUNNING', pid: gone.pid, last_activity: new Date().toISOString()});
		const {engine} = await startTestEngine(jobsDir);
		const view = engine.getSnapshot().jobs[0]!;
		expect(view.severity).toBe('high');
		expect(view.assessment!.evidence.find(signal => signal.name === 'process')).toMatchObject({severity: 'high'});
		expect(view.sample!.lost).toMatch(/gone/);
	});

	it('keeps one snapshot object until the next publish, whether anyone listens or not', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'steady', {job_id: 'steady', status: 'RUNNING', pid: 999_999});
		const {engine} = await startTestEngine(jobsDir);
		// Nobody listens (as in --headless): made when asked, then kept until a tick publishes.
		const unheard = engine.getSnapshot();
		expect(engine.getSnapshot()).toBe(unheard);
		const tick = engine.tickCount;
		await waitFor(() => engine.tickCount > tick, 5000);
		const later = engine.getSnapshot();
		expect(later).not.toBe(unheard);
		expect(later.tick).toBeGreaterThan(unheard.tick);
		// A listener (the dashboard): made at each publish.
		let published = 0;
		const unsubscribe = engine.subscribe(() => published++);
		onTestFinished(unsubscribe);
		const first = engine.getSnapshot();
		// React's useSyncExternalStore asks again and again: the same object until something is published.
		expect(engine.getSnapshot()).toBe(first);
		await waitFor(() => published > 0, 5000);
		const next = engine.getSnapshot();
		expect(next).not.toBe(first);
		expect(next.tick).toBeGreaterThan(first.tick);
		expect(engine.getSnapshot()).toBe(next);
	});

	it('never assesses a SUCCESS job above ok, however old and lost', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'done', {job_id: 'done', status: 'success', pid: 999_999, last_activity: '2020-01-01T00:00:00Z'});
		const old = new Date('2020-01-01T00:00:00Z');
		fs.utimesSync(path.join(jobsDir, 'done', 'job_manifest.json'), old, old);
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '1s', criticalTimeout: '2s'});
		expect(engine.getSnapshot().jobs[0]!.severity).toBe('ok');
	});

	it('reports every kind of bad manifest invalid with its reason, and acts on none', async () => {
		const jobsDir = makeTempDir();
		const outside = makeTempDir();
		fs.writeFileSync(path.join(outside, 'job_manifest.json'), JSON.stringify({status: 'RUNNING'}));
		writeJob(jobsDir, 'not-json', 'this is not json');
		writeJob(jobsDir, 'truncated', '{"status": "RUNNING", "pid": 12');
		writeJob(jobsDir, 'wrong-types', {status: 42});
		writeJob(jobsDir, 'pid-zero', {status: 'RUNNING', pid: 0});
		writeJob(jobsDir, 'pid-negative', {status: 'RUNNING', pid: -4});
		writeJob(jobsDir, 'pid-string', {status: 'RUNNING', pid: '1234'});
		writeJob(jobsDir, 'binary', Buffer.from([0, 159, 146, 150, 255, 0, 1]).toString('latin1'));
		writeJob(jobsDir, 'huge', JSON.stringify({status: 'RUNNING', padding: 'x'.repeat(1024 * 1024)}));
		fs.mkdirSync(path.join(jobsDir, 'link-out'));
		fs.symlinkSync(path.join(outside, 'job_manifest.json'), path.join(jobsDir, 'link-out', 'job_manifest.json'));
		const {engine, invalid} = await startTestEngine(jobsDir);
		const reasons = Object.fromEntries(invalid.map(event => [event.args[0].jobId, event.args[0].error]));
		expect(Object.keys(reasons).sort()).toEqual(['binary', 'huge', 'link-out', 'not-json', 'pid-negative', 'pid-string', 'pid-zero', 'truncated', 'wrong-types']);
		for (const reason of Object.values(reasons)) expect(reason).toMatch(/\S/);
		expect(reasons['huge']).toMatch(/1 MiB/);
		expect(reasons['link-out']).toMatch(/outside|link/);
		expect(engine.getSnapshot().jobs.every(view => view.severity === 'ok' && !view.job.valid)).toBe(true);
	});

	it('sees jobs appear, change and vanish live', async () => {
		const jobsDir = makeTempDir();
		const {engine, added, removed, assessments} = await startTestEngine(jobsDir, {workerTimeout: '1h', criticalTimeout: '2h'});
		writeJob(jobsDir, 'late', {job_id: 'late', status: 'PENDING'});
		expect(await waitFor(() => added.length === 1, 5000)).toBe(true);
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'late', {job_id: 'late', status: 'RUNNING', pid: gone.pid});
		expect(await waitFor(() => engine.getSnapshot().jobs[0]?.severity === 'high', 5000)).toBe(true);
		expect(assessments.at(-1)!.args[0]).toMatchObject({jobId: 'late', severity: 'high', previousSeverity: 'ok'});
		fs.rmSync(path.join(jobsDir, 'late'), {recursive: true});
		expect(await waitFor(() => removed.length === 1 && engine.getSnapshot().jobs.length === 0, 5000)).toBe(true);
	});

	it('retries a half-written manifest instead of reporting it invalid', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		const manifest = JSON.stringify({job_id: 'busy', status: 'RUNNING', pid: sleeper.pid});
		writeJob(jobsDir, 'busy', manifest);
		const {invalid} = await startTestEngine(jobsDir, {workerTimeout: '1h', criticalTimeout: '2h'});
		const file = path.join(jobsDir, 'busy', 'job_manifest.json');
		expect(await watching([path.dirname(file)]), 'the engine hears the half write').toBe(true);
		fs.writeFileSync(file, manifest.slice(0, 20));
		await new Promise(resolve => setTimeout(resolve, 300));
		fs.writeFileSync(file, manifest);
		await new Promise(resolve => setTimeout(resolve, 1500));
		expect(invalid).toEqual([]);
	});

	it('shows the last of many quick in-place rewrites without waiting for the stat net', async () => {
		const jobsDir = makeTempDir();
		const names = Array.from({length: 20}, (_, index) => `job-${index}`);
		for (const name of names) writeJob(jobsDir, name, {job_id: name, status: 'PENDING'});
		// A long interval: only the watcher, and the re-reads of manifests caught halfway, notice.
		const {engine, invalid} = await startTestEngine(jobsDir, {interval: '1h'});
		expect(await watching(names.map(name => path.join(jobsDir, name)))).toBe(true);
		// Rewritten in place (truncate, write), as Logist does: a read can land between the two, and
		// chokidar need not report the second when the mtime did not move.
		for (let round = 1; round <= 10; round++) {
			for (const name of names) fs.writeFileSync(path.join(jobsDir, name, 'job_manifest.json'), JSON.stringify({job_id: name, status: `STEP-${round}`}));
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		const shown = () => engine.getSnapshot().jobs.filter(view => view.job.valid && view.job.status === 'STEP-10').length;
		expect(await waitFor(() => shown() === names.length, 10_000), `${shown()} of ${names.length} show the last write`).toBe(true);
		expect(invalid).toEqual([]);
	});

	it('shows the first 60 jobs of a big directory before reading the rest, a timer\'s turn apart, then all of them', async () => {
		const jobsDir = makeTempDir();
		for (let index = 0; index < 150; index++) writeJob(jobsDir, `job-${index}`, {job_id: `job-${index}`, status: 'PENDING'});
		const engine = new Engine(testConfig(jobsDir), {watch: false});
		onTestFinished(() => engine.stop());
		const seen: Array<{tick: number; jobs: number} | 'timer'> = [];
		engine.on('snapshot', () => {
			seen.push({tick: engine.getSnapshot().tick, jobs: engine.getSnapshot().jobs.length});
			// As the dashboard's throttled frame: a timer set by the early snapshot runs before the rest is read.
			if (engine.getSnapshot().tick === 0) setTimeout(() => seen.push('timer'), 0);
		});
		await engine.tick();
		expect(seen).toEqual([{tick: 0, jobs: 60}, 'timer', {tick: 1, jobs: 150}]);
		// Later looks at the directory publish once per tick, whatever they find.
		for (let index = 150; index < 300; index++) writeJob(jobsDir, `job-${index}`, {job_id: `job-${index}`, status: 'PENDING'});
		for (let tick = 0; tick < 5; tick++) await engine.tick();
		const later = seen.slice(3) as Array<{tick: number; jobs: number}>;
		expect(later.map(entry => entry.tick)).toEqual([2, 3, 4, 5, 6]);
		expect(later.at(-1)!.jobs).toBe(300);
	});

	it('honours jobs_index.json for job directories elsewhere', async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		writeJob(elsewhere, 'remote', {job_id: 'remote-job', status: 'PENDING'});
		fs.writeFileSync(path.join(jobsDir, 'jobs_index.json'), JSON.stringify({jobs: {'remote-job': path.join(elsewhere, 'remote')}}));
		const {engine} = await startTestEngine(jobsDir);
		expect(engine.getSnapshot().jobs.map(view => view.job.jobId)).toEqual(['remote-job']);
	});

	it('restarts silence after a clock jump instead of condemning every job', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		writeJob(jobsDir, 'steady', {job_id: 'steady', status: 'RUNNING', pid: sleeper.pid});
		let offset = 0;
		const clock = {now: () => Date.now() + offset, monotonic: () => performance.now()};
		const {engine, errors} = await startTestEngine(jobsDir, {workerTimeout: '30m'}, {clock});
		offset = 2 * 3_600_000;
		expect(await waitFor(() => errors.some(event => /clock jumped/.test(event.args[0].message)), 10_000)).toBe(true);
		// Two more ticks judge it after the jump.
		const jumpedAt = engine.tickCount;
		expect(await waitFor(() => engine.tickCount >= jumpedAt + 2, 10_000)).toBe(true);
		expect(engine.getSnapshot().jobs[0]!.severity).toBe('ok');
		expect(engine.overlaps).toBe(0);
	});

	it('sees manifest changes by polling where file watches cannot be set', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'polled', {job_id: 'polled', status: 'PENDING'});
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '1h', criticalTimeout: '2h'}, {forcePolling: true});
		expect(engine.getSnapshot().watchMode).toBe('poll');
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'polled', {job_id: 'polled', status: 'RUNNING', pid: gone.pid});
		expect(await waitFor(() => engine.getSnapshot().jobs[0]?.severity === 'high', 5000)).toBe(true);
	});

	it('judges a job whose manifest names a new process by that process, not the old one', async () => {
		const jobsDir = makeTempDir();
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: gone.pid});
		// A long interval: only the manifest change can bring the new pid in before the next tick.
		const {engine, assessments} = await startTestEngine(jobsDir, {interval: '30s', workerTimeout: '1h', criticalTimeout: '2h'});
		expect(engine.getSnapshot().jobs[0]!.severity).toBe('high');
		// chokidar sets its watches after the first tick.
		expect(await watching([path.join(jobsDir, 'restarted')])).toBe(true);
		const fresh = startProcess('sleep', ['60']);
		writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: fresh.pid});
		expect(await waitFor(() => engine.getSnapshot().jobs[0]?.job.valid === true && (engine.getSnapshot().jobs[0]?.job as {pid: number}).pid === fresh.pid, 10_000)).toBe(true);
		expect(await waitFor(() => engine.getSnapshot().jobs[0]!.severity === 'ok', 10_000)).toBe(true);
		expect(assessments.at(-1)!.args[0]).toMatchObject({severity: 'ok', previousSeverity: 'high'});
	});

	it("gives a job that arrives between ticks its first verdict whole, its process sampled, long before the next interval", async () => {
		const jobsDir = makeTempDir();
		// A long interval: only the early sampling can bring the lost process in before the next tick.
		const {assessments} = await startTestEngine(jobsDir, {interval: '30s', workerTimeout: '4s', criticalTimeout: '1h'});
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'dead', {job_id: 'dead', status: 'RUNNING', pid: gone.pid, last_activity: new Date(Date.now() - 3000).toISOString()});
		const ofDead = () => assessments.filter(event => event.args[0].jobId === 'dead');
		expect(await waitFor(() => ofDead().length > 0, 10_000), 'assessed before the next regular tick').toBe(true);
		// Silence alone says low here; the first verdict told is the whole one: its process is lost.
		expect(ofDead()[0]!.args[0]).toMatchObject({severity: 'high', previousSeverity: null});
	});
});
