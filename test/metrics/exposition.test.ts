import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {diagnosisKind} from '../../source/metrics/job-readings.js';
import {labelValue} from '../../source/metrics/label-value.js';
import {listenMetrics} from '../../source/metrics/metrics-server.js';
import {sentinelExposition} from '../../source/metrics/sentinel-exposition.js';
import {createInterventions} from '../../source/sentinel/act/intervention-runner.js';
import type {Engine} from '../../source/sentinel/engine.js';
import {startTestEngine} from '../helpers/engine.js';
import {startSleeper} from '../helpers/job-faults.js';
import {parseExposition, promtoolCheck, scrape, series, valueOf, type Sample} from '../helpers/metrics.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

// SPEC section 14's metrics, scraped over HTTP from a real engine on real jobs and processes.

const specMetrics = [
	'sentinel_job_severity',
	'sentinel_job_silence_seconds',
	'sentinel_job_last_activity_timestamp_seconds',
	'sentinel_job_cpu_ratio',
	'sentinel_job_memory_bytes',
	'sentinel_job_cadence_phi',
	'sentinel_job_info',
	'sentinel_jobs',
	'sentinel_interventions_total',
	'sentinel_leader',
	'sentinel_tick_seconds_bucket',
	'sentinel_tick_seconds_sum',
	'sentinel_tick_seconds_count',
	'sentinel_info',
];

/** The engine's /metrics on a free loopback port, closed when the test ends; a scrape's samples. */
async function serve(engine: Engine): Promise<{address: string; samples: () => Promise<Sample[]>; text: () => Promise<string>}> {
	const server = await listenMetrics({host: '127.0.0.1', port: 0});
	onTestFinished(() => server.close());
	server.serve(sentinelExposition(engine, '9.9.9-test'));
	const address = `127.0.0.1:${server.address.port}`;
	const text = async () => {
		const response = await scrape(address);
		expect(response.status).toBe(200);
		expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
		return response.text;
	};
	return {address, text, samples: async () => parseExposition(await text())};
}

describe('/metrics of a real engine', () => {
	it('names every metric of SPEC section 14, with its labels, in a form promtool reads', async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		writeJob(jobsDir, 'live', {job_id: 'live', status: 'RUNNING', role: 'supervisor', pid});
		writeJob(jobsDir, 'waiting', {job_id: 'waiting', status: 'PENDING'});
		writeJob(jobsDir, 'broken', '{"job_id": ');
		const {engine} = await startTestEngine(jobsDir, {noAuto: true});
		const metrics = await serve(engine);
		const sampled = () => engine.getSnapshot().jobs.find(view => view.job.jobId === 'live')?.sample != null;
		expect(await waitFor(sampled, 10_000)).toBe(true);

		const text = await metrics.text();
		const samples = parseExposition(text);
		for (const name of specMetrics) expect(series(samples, name).length, name).toBeGreaterThan(0);
		expect(valueOf(samples, 'sentinel_job_severity', {job_id: 'live', role: 'supervisor'})).toBe(0);
		expect(valueOf(samples, 'sentinel_job_severity', {job_id: 'broken', role: ''})).toBe(-1);
		// The diagnosis is the assessment's (issue 16), "" where there is none.
		const live = engine.getSnapshot().jobs.find(view => view.job.jobId === 'live')!;
		expect(valueOf(samples, 'sentinel_job_info', {job_id: 'live', status: 'RUNNING', role: 'supervisor', diagnosis: diagnosisKind(live)})).toBe(1);
		expect(valueOf(samples, 'sentinel_job_info', {job_id: 'waiting', status: 'PENDING', role: 'worker'})).toBe(1);
		expect(valueOf(samples, 'sentinel_job_memory_bytes', {job_id: 'live'})).toBeGreaterThan(100_000);
		expect(valueOf(samples, 'sentinel_job_cpu_ratio', {job_id: 'live'})).toBeGreaterThanOrEqual(0);
		// No process, no CPU or memory to show; an invalid job has nothing but its severity and info.
		expect(series(samples, 'sentinel_job_memory_bytes', {job_id: 'waiting'})).toEqual([]);
		expect(series(samples, 'sentinel_job_silence_seconds', {job_id: 'broken'})).toEqual([]);
		const lastActivity = valueOf(samples, 'sentinel_job_last_activity_timestamp_seconds', {job_id: 'live'});
		expect(Math.abs(lastActivity - Date.now() / 1000)).toBeLessThan(60);
		expect(valueOf(samples, 'sentinel_job_silence_seconds', {job_id: 'live'})).toBeGreaterThanOrEqual(0);
		expect(valueOf(samples, 'sentinel_job_cadence_phi', {job_id: 'live'})).toBe(0);
		expect(Object.fromEntries(series(samples, 'sentinel_jobs').map(sample => [sample.labels['severity'], sample.value]))).toEqual({ok: 2, low: 0, medium: 0, high: 0, critical: 0, invalid: 1});
		expect(valueOf(samples, 'sentinel_leader')).toBe(0);
		expect(series(samples, 'sentinel_info')).toEqual([{name: 'sentinel_info', labels: {version: '9.9.9-test', host: expect.any(String), jobs_dir: jobsDir}, value: 1}]);
		// Every series of the counter is there at 0 before anything happens.
		expect(series(samples, 'sentinel_interventions_total')).toHaveLength(30);
		expect(series(samples, 'sentinel_interventions_total').every(sample => sample.value === 0)).toBe(true);
		// prom-client's default process metrics.
		for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds']) expect(series(samples, name).length, name).toBe(1);
		// No per-pid label anywhere.
		expect(samples.filter(sample => sample.name.startsWith('sentinel_') && 'pid' in sample.labels)).toEqual([]);
		expect(promtoolCheck(text)).toEqual({code: 0, output: ''});
	});

	it('sanitises hostile job ids as on screen and escapes them, never breaking a line', async () => {
		const jobsDir = makeTempDir();
		const hostile = ['quote " and \\ backslash', 'line\nbreak', 'colour \u001B[31mred\u001B[0m', 'bidi \u202Eexe.txt', `long-${'x'.repeat(400)}-end`, 'brace} 1\nfake_metric{a="b"'];
		hostile.forEach((jobId, index) => writeJob(jobsDir, `job-${index}`, {job_id: jobId, status: 'PENDING'}));
		// A job_id that is not UTF-8 (Latin-1 bytes): the manifest is refused, the job is invalid under its folder's name.
		fs.mkdirSync(path.join(jobsDir, 'latin1'));
		fs.writeFileSync(path.join(jobsDir, 'latin1', 'job_manifest.json'), Buffer.concat([Buffer.from('{"job_id": "caf'), Buffer.from([0xe9]), Buffer.from('", "status": "PENDING"}')]));
		const {engine} = await startTestEngine(jobsDir, {noAuto: true});
		const metrics = await serve(engine);

		const text = await metrics.text();
		const ids = new Set(series(parseExposition(text), 'sentinel_job_severity').map(sample => sample.labels['job_id']));
		for (const jobId of hostile) expect(ids.has(labelValue(jobId)), JSON.stringify(jobId)).toBe(true);
		expect(valueOf(parseExposition(text), 'sentinel_job_severity', {job_id: 'latin1'})).toBe(-1);
		expect(ids.size).toBe(hostile.length + 1);
		expect(text).not.toContain('\u001B');
		expect(text).not.toContain('\u202E');
		expect(series(parseExposition(text), 'fake_metric')).toEqual([]);
		expect(promtoolCheck(text)).toEqual({code: 0, output: ''});
	});

	it('drops the series of a job that is gone, and shows the worse of two folders claiming one job_id', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'leaving', {job_id: 'leaving', status: 'PENDING'});
		writeJob(jobsDir, 'twin-fine', {job_id: 'twin', status: 'PENDING'});
		// A copy claiming the same id, whose pid is gone: a lost process in a monitored status is high.
		writeJob(jobsDir, 'twin-lost', {job_id: 'twin', status: 'RUNNING', pid: 2 ** 31 - 2});
		const {engine} = await startTestEngine(jobsDir, {noAuto: true});
		const metrics = await serve(engine);
		expect(await waitFor(() => engine.getSnapshot().jobs.some(view => view.job.jobId === 'twin' && view.severity === 'high'), 10_000)).toBe(true);

		let samples = await metrics.samples();
		expect(series(samples, 'sentinel_job_severity', {job_id: 'twin'}).map(sample => sample.value)).toEqual([3]);
		expect(valueOf(samples, 'sentinel_job_info', {job_id: 'twin'})).toBe(1);
		expect(valueOf(samples, 'sentinel_job_info', {job_id: 'twin', status: 'RUNNING'})).toBe(1);
		expect(series(samples, 'sentinel_job_severity', {job_id: 'leaving'})).toHaveLength(1);

		fs.rmSync(path.join(jobsDir, 'leaving'), {recursive: true});
		expect(await waitFor(() => !engine.getSnapshot().jobs.some(view => view.job.jobId === 'leaving'), 10_000)).toBe(true);
		samples = await metrics.samples();
		expect(samples.filter(sample => sample.labels['job_id'] === 'leaving')).toEqual([]);
		expect(valueOf(samples, 'sentinel_jobs', {severity: 'ok'})).toBe(1);
	});

	it('counts the audit entries this sentinel writes and times its ticks', async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		writeJob(jobsDir, 'hung', {job_id: 'hung', status: 'RUNNING', pid});
		const {engine, interventions} = await startTestEngine(jobsDir, {workerTimeout: '2s', criticalTimeout: '60s', grace: '1s'}, {interventions: port => createInterventions(port)});
		const metrics = await serve(engine);
		const ticksBefore = valueOf(await metrics.samples(), 'sentinel_tick_seconds_count');

		const recovered = () => interventions.some(event => event.args[0].entry.action === 'recover' && event.args[0].entry.result === 'ok');
		expect(await waitFor(recovered, 20_000)).toBe(true);
		const samples = await metrics.samples();
		const count = (action: string, result: string) => valueOf(samples, 'sentinel_interventions_total', {action, result, actor: 'auto'});
		expect(count('notify', 'ok')).toBe(1);
		expect(count('recover', 'started')).toBe(1);
		expect(count('recover', 'ok')).toBe(1);
		expect(count('terminate', 'started')).toBe(0);
		const total = series(samples, 'sentinel_interventions_total').reduce((sum, sample) => sum + sample.value, 0);
		expect(total).toBe(interventions.length);
		expect(valueOf(samples, 'sentinel_leader')).toBe(1);
		expect(valueOf(samples, 'sentinel_tick_seconds_count')).toBeGreaterThan(ticksBefore);
		expect(valueOf(samples, 'sentinel_tick_seconds_sum')).toBeGreaterThan(0);
		expect(valueOf(samples, 'sentinel_tick_seconds_bucket', {le: '+Inf'})).toBe(valueOf(samples, 'sentinel_tick_seconds_count'));
	});
});
