import {describe, expect, it} from 'vitest';
import {loadConfig, type Config} from '../../../source/config/load-config.js';
import {assess, highestSeverity} from '../../../source/sentinel/judge/assess.js';
import {thresholdsFor} from '../../../source/sentinel/judge/thresholds.js';
import type {JobObservation, Severity, Signal, TreeSample, ValidJob} from '../../../source/types.js';
import {makeTempDir} from '../../helpers/temp-dir.js';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);
const second = 1000;
const minute = 60 * second;
const MB = 2 ** 20;

function makeConfig(flags: Record<string, unknown> = {}): Config {
	return loadConfig({flags, env: {}, home: makeTempDir()});
}

function makeJob(fields: Partial<ValidJob> = {}): ValidJob {
	return {
		valid: true,
		jobId: 'job-1',
		dir: '/jobs/job-1',
		manifestPath: '/jobs/job-1/job_manifest.json',
		status: 'RUNNING',
		role: 'worker',
		pid: 4242,
		processStartMs: null,
		description: '',
		command: null,
		latestStampMs: null,
		overrides: {},
		manifestMtimeMs: now,
		ownerUid: 1000,
		ownerGid: 1000,
		contentKey: 'key',
		...fields,
	};
}

function makeSample(fields: Partial<TreeSample> = {}): TreeSample {
	return {
		at: now,
		rootPid: 4242,
		processes: [{pid: 4242, ppid: 1, pgid: 4242, sid: 4242, state: 'S', startTimeMs: now - 60 * minute, cpuTimeMs: 0, rssBytes: 100 * MB, name: 'job', cpuPercent: 0}],
		cpuPercent: 0,
		cpuTrusted: true,
		rssBytes: 100 * MB,
		lost: null,
		...fields,
	};
}

type Observed = {silenceMs?: number; sample?: TreeSample | null; cpuHistory?: number[]};

function observe({silenceMs = 0, sample = makeSample(), cpuHistory = []}: Observed = {}): JobObservation {
	return {lastActivityMs: now - silenceMs, sample, cpuHistory};
}

function signal(evidence: Signal[], name: Signal['name']): Signal | undefined {
	return evidence.find(item => item.name === name);
}

/** A signal as events, audit entries and the status report write it out. */
function written(signal: Signal | undefined): unknown {
	return JSON.parse(JSON.stringify(signal));
}

const busy = [99, 99, 99, 99, 99];

describe('thresholdsFor', () => {
	it('uses the worker and supervisor defaults and the shared critical timeout', () => {
		const config = makeConfig();
		expect(thresholdsFor(makeJob({role: 'worker'}), config)).toEqual({role: 'worker', roleTimeoutMs: 30 * minute, criticalTimeoutMs: 60 * minute, memoryLimitBytes: 1024 * MB, cpuLimitPercent: 95, cpuSamples: 5});
		expect(thresholdsFor(makeJob({role: 'supervisor'}), config).roleTimeoutMs).toBe(15 * minute);
	});

	it('takes the configured values', () => {
		const config = makeConfig({workerTimeout: '10m', supervisorTimeout: '5m', criticalTimeout: '2h', memoryLimit: '512MB', cpuLimit: 80, cpuSamples: 3});
		expect(thresholdsFor(makeJob({role: 'worker'}), config)).toEqual({role: 'worker', roleTimeoutMs: 10 * minute, criticalTimeoutMs: 120 * minute, memoryLimitBytes: 512 * MB, cpuLimitPercent: 80, cpuSamples: 3});
		expect(thresholdsFor(makeJob({role: 'supervisor'}), config).roleTimeoutMs).toBe(5 * minute);
	});

	it('prefers the job overrides for either role', () => {
		const overrides = {timeoutMs: 7 * minute, criticalTimeoutMs: 20 * minute, memoryLimitBytes: 64 * MB, cpuLimitPercent: 50};
		for (const role of ['worker', 'supervisor'] as const) {
			expect(thresholdsFor(makeJob({role, overrides}), makeConfig())).toEqual({role, roleTimeoutMs: 7 * minute, criticalTimeoutMs: 20 * minute, memoryLimitBytes: 64 * MB, cpuLimitPercent: 50, cpuSamples: 5});
		}
	});

	it('caps T at C, from the config or from an override', () => {
		expect(thresholdsFor(makeJob(), makeConfig({workerTimeout: '2h'})).roleTimeoutMs).toBe(60 * minute);
		expect(thresholdsFor(makeJob({overrides: {criticalTimeoutMs: 20 * minute}}), makeConfig()).roleTimeoutMs).toBe(20 * minute);
		expect(thresholdsFor(makeJob({overrides: {timeoutMs: 3 * 60 * minute}}), makeConfig()).roleTimeoutMs).toBe(60 * minute);
	});
});

// [silence, expected severity] around every threshold: just below and exactly at it.
function silenceCases(t: number, c: number): Array<[number, Severity]> {
	return [
		[0, 'ok'],
		[0.5 * t - 1, 'ok'],
		[0.5 * t, 'low'],
		[0.75 * t - 1, 'low'],
		[0.75 * t, 'medium'],
		[t - 1, 'medium'],
		[t, t >= c ? 'critical' : 'high'],
		[c - 1, t >= c ? 'medium' : 'high'],
		[c, 'critical'],
		[10 * c, 'critical'],
	];
}

describe('assess: silence', () => {
	const roles = [
		{name: 'worker by default (T 30m, C 1h)', job: {role: 'worker'}, flags: {}, t: 30 * minute, c: 60 * minute},
		{name: 'supervisor by default (T 15m, C 1h)', job: {role: 'supervisor'}, flags: {}, t: 15 * minute, c: 60 * minute},
		{name: 'worker with a configured timeout', job: {role: 'worker'}, flags: {workerTimeout: '8m', criticalTimeout: '20m'}, t: 8 * minute, c: 20 * minute},
		{name: 'supervisor with a configured timeout', job: {role: 'supervisor'}, flags: {supervisorTimeout: '4s', criticalTimeout: '12s'}, t: 4 * second, c: 12 * second},
		{name: 'job overrides', job: {role: 'worker', overrides: {timeoutMs: 10 * minute, criticalTimeoutMs: 25 * minute}}, flags: {}, t: 10 * minute, c: 25 * minute},
		{name: 'T capped at C (worker timeout 2h)', job: {role: 'worker'}, flags: {workerTimeout: '2h'}, t: 60 * minute, c: 60 * minute},
		{name: 'T capped at C (critical override 20m)', job: {role: 'worker', overrides: {criticalTimeoutMs: 20 * minute}}, flags: {}, t: 20 * minute, c: 20 * minute},
	] as const;

	for (const role of roles) {
		it(`judges the ${role.name} at every threshold`, () => {
			const config = makeConfig(role.flags);
			const job = makeJob(role.job);
			const seen = silenceCases(role.t, role.c).map(([silenceMs]) => {
				const assessment = assess(job, observe({silenceMs}), config, now);
				return [silenceMs, assessment.severity, signal(assessment.evidence, 'silence')?.severity] as const;
			});
			expect(seen).toEqual(silenceCases(role.t, role.c).map(([silenceMs, severity]) => [silenceMs, severity, severity]));
		});
	}

	it('capped at C, a silence of T is critical and never high', () => {
		const config = makeConfig({workerTimeout: '2h'});
		const severities = [30, 45, 59, 60].map(minutes => assess(makeJob(), observe({silenceMs: minutes * minute}), config, now).severity);
		expect(severities).toEqual(['low', 'medium', 'medium', 'critical']);
	});

	it('reports the silence with its value, threshold and a one-line message', () => {
		const assessment = assess(makeJob({role: 'supervisor'}), observe({silenceMs: 16 * minute + 2 * second}), makeConfig(), now);
		expect(assessment.silenceMs).toBe(16 * minute + 2 * second);
		expect(written(signal(assessment.evidence, 'silence'))).toEqual({name: 'silence', severity: 'high', value: 16 * minute + 2 * second, threshold: 15 * minute, message: 'silent 16m 2s (high at 15m)'});
	});

	it('shows silence even when it is fine, naming the first threshold', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 3 * minute}), makeConfig(), now);
		expect(assessment.severity).toBe('ok');
		expect(written(signal(assessment.evidence, 'silence'))).toEqual({name: 'silence', severity: 'ok', value: 3 * minute, threshold: 15 * minute, message: 'silent 3m (low at 15m)'});
	});

	it('never counts a negative silence', () => {
		const assessment = assess(makeJob(), {lastActivityMs: now + 5 * minute, sample: makeSample(), cpuHistory: []}, makeConfig(), now);
		expect(assessment.silenceMs).toBe(0);
		expect(assessment.severity).toBe('ok');
	});
});

describe('assess: memory', () => {
	const cases: Array<[number, Severity]> = [
		[0, 'ok'],
		[1024 * MB - 1, 'ok'],
		[1024 * MB, 'medium'],
		[2048 * MB - 1, 'medium'],
		[2048 * MB, 'high'],
		[8192 * MB, 'high'],
	];

	it.each(cases)('an RSS of %d bytes is %s against the 1024MB default', (rssBytes, severity) => {
		const assessment = assess(makeJob(), observe({sample: makeSample({rssBytes})}), makeConfig(), now);
		expect(signal(assessment.evidence, 'memory')?.severity).toBe(severity);
		expect(assessment.severity).toBe(severity);
	});

	it('uses the configured limit and the job override', () => {
		const config = makeConfig({memoryLimit: '256MB'});
		expect(assess(makeJob(), observe({sample: makeSample({rssBytes: 300 * MB})}), config, now).severity).toBe('medium');
		expect(assess(makeJob(), observe({sample: makeSample({rssBytes: 512 * MB})}), config, now).severity).toBe('high');
		const job = makeJob({overrides: {memoryLimitBytes: 4096 * MB}});
		expect(assess(job, observe({sample: makeSample({rssBytes: 3000 * MB})}), config, now).severity).toBe('ok');
	});

	it('says the RSS and the limit it is measured against', () => {
		const sample = makeSample({rssBytes: 1536 * MB});
		expect(written(signal(assess(makeJob(), observe({sample}), makeConfig(), now).evidence, 'memory'))).toEqual({name: 'memory', severity: 'medium', value: 1536 * MB, threshold: 1024 * MB, message: 'RSS 1.5GB (medium at 1GB)'});
		const huge = makeSample({rssBytes: 3 * 1024 * MB});
		expect(signal(assess(makeJob(), observe({sample: huge}), makeConfig(), now).evidence, 'memory')).toMatchObject({severity: 'high', threshold: 2048 * MB, message: 'RSS 3GB (high at 2GB)'});
	});
});

describe('assess: process', () => {
	it('a lost process in a monitored status is high', () => {
		const assessment = assess(makeJob(), observe({sample: makeSample({lost: 'gone', processes: [], rssBytes: 0})}), makeConfig(), now);
		expect(assessment.severity).toBe('high');
		expect(written(signal(assessment.evidence, 'process'))).toEqual({name: 'process', severity: 'high', value: 'gone', threshold: 'alive', message: 'process 4242 lost: gone'});
	});

	it('a live process is shown as ok', () => {
		const assessment = assess(makeJob(), observe(), makeConfig(), now);
		expect(assessment.severity).toBe('ok');
		expect(signal(assessment.evidence, 'process')).toMatchObject({severity: 'ok', message: 'process 4242 alive (1 in tree)'});
	});

	it('a job naming no pid is judged on silence alone', () => {
		const config = makeConfig();
		const job = makeJob({pid: null});
		for (const [silenceMs, severity] of silenceCases(30 * minute, 60 * minute)) {
			const assessment = assess(job, observe({silenceMs, sample: null}), config, now);
			expect(assessment.severity).toBe(severity);
			// And what its processes do: none to look at (SPEC section 12).
			expect(assessment.evidence.map(item => item.name)).toEqual(['silence', 'diagnosis']);
		}
	});
});

describe('assess: busy hang', () => {
	// Worker defaults: low at 15m, medium at 22.5m, high at 30m, critical at 1h.
	const raises: Array<[string, number, Severity, Severity]> = [
		['low to medium', 15 * minute, 'low', 'medium'],
		['medium to high', 23 * minute, 'medium', 'high'],
		['high to critical', 30 * minute, 'high', 'critical'],
		['critical stays critical', 60 * minute, 'critical', 'critical'],
	];

	it.each(raises)('raises silence %s', (_name, silenceMs, silenceSeverity, raised) => {
		const assessment = assess(makeJob(), observe({silenceMs, cpuHistory: busy}), makeConfig(), now);
		expect(signal(assessment.evidence, 'silence')?.severity).toBe(silenceSeverity);
		expect(signal(assessment.evidence, 'busy')).toMatchObject({severity: raised, value: 99, threshold: 95});
		expect(assessment.severity).toBe(raised);
	});

	it('explains the raise in one line', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 23 * minute, cpuHistory: busy}), makeConfig(), now);
		expect(signal(assessment.evidence, 'busy')?.message).toBe('busy hang: CPU >= 95% for 5 samples while silent, silence medium raised to high');
	});

	it('counts a CPU exactly at the limit as busy', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 15 * minute, cpuHistory: [95, 95, 95, 95, 95]}), makeConfig(), now);
		expect(assessment.severity).toBe('medium');
	});

	it('does not raise when one of the last samples is below the limit', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 23 * minute, cpuHistory: [99, 99, 94.9, 99, 99]}), makeConfig(), now);
		expect(assessment.severity).toBe('medium');
		expect(signal(assessment.evidence, 'busy')).toBeUndefined();
	});

	it('does not raise with too few samples', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 23 * minute, cpuHistory: [99, 99, 99, 99]}), makeConfig(), now);
		expect(assessment.severity).toBe('medium');
		expect(signal(assessment.evidence, 'busy')).toBeUndefined();
	});

	it('looks only at the last samples', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 23 * minute, cpuHistory: [3, 10, 99, 99, 99, 99, 99]}), makeConfig(), now);
		expect(assessment.severity).toBe('high');
	});

	it('does not raise a job that is not silent enough, but shows it is busy', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 15 * minute - 1, cpuHistory: busy}), makeConfig(), now);
		expect(assessment.severity).toBe('ok');
		expect(signal(assessment.evidence, 'busy')).toMatchObject({severity: 'ok', message: 'CPU >= 95% for 5 samples, not silent long enough to count (from 15m)'});
	});

	it('follows the configured CPU limit, sample count and the job override', () => {
		const config = makeConfig({cpuLimit: 50, cpuSamples: 3});
		expect(assess(makeJob(), observe({silenceMs: 15 * minute, cpuHistory: [60, 60, 60]}), config, now).severity).toBe('medium');
		expect(assess(makeJob(), observe({silenceMs: 15 * minute, cpuHistory: [60, 60]}), config, now).severity).toBe('low');
		const strict = makeJob({overrides: {cpuLimitPercent: 150}});
		expect(assess(strict, observe({silenceMs: 15 * minute, cpuHistory: [120, 120, 120]}), config, now).severity).toBe('low');
		expect(assess(strict, observe({silenceMs: 15 * minute, cpuHistory: [180, 190, 200]}), config, now).severity).toBe('medium');
	});

	it('applies to a job without a pid when the engine has a CPU history for it', () => {
		const assessment = assess(makeJob({pid: null}), observe({silenceMs: 15 * minute, sample: null, cpuHistory: busy}), makeConfig(), now);
		expect(assessment.severity).toBe('medium');
	});
});

describe('assess: the whole job', () => {
	it('is the highest of its signals', () => {
		const config = makeConfig();
		const cases: Array<[Observed, Severity]> = [
			[{silenceMs: 16 * minute, sample: makeSample({rssBytes: 2048 * MB})}, 'high'],
			[{silenceMs: 61 * minute, sample: makeSample({rssBytes: 1024 * MB})}, 'critical'],
			[{silenceMs: 16 * minute, sample: makeSample({rssBytes: 1024 * MB})}, 'medium'],
			[{silenceMs: 23 * minute, sample: makeSample({lost: 'zombie'})}, 'high'],
			[{silenceMs: 0, sample: makeSample({rssBytes: 1024 * MB, lost: 'not the job process: started later'})}, 'high'],
		];
		for (const [observed, severity] of cases) expect(assess(makeJob(), observe(observed), config, now).severity).toBe(severity);
	});

	it('gives every signal a value, a threshold and a one-line message', () => {
		const assessment = assess(makeJob(), observe({silenceMs: 40 * minute, sample: makeSample({rssBytes: 3000 * MB, lost: 'gone'}), cpuHistory: busy}), makeConfig(), now);
		expect(assessment.evidence.map(item => item.name)).toEqual(['silence', 'busy', 'memory', 'process', 'diagnosis']);
		for (const item of assessment.evidence) {
			expect(item.value).not.toBe('');
			expect(item.threshold).not.toBe('');
			expect(item.message).toMatch(/^[^\n]+$/);
		}
	});

	it('compares the status case-insensitively', () => {
		const assessment = assess(makeJob({status: 'reviewing'}), observe({silenceMs: 2 * 60 * minute}), makeConfig(), now);
		expect(assessment.monitored).toBe(true);
		expect(assessment.severity).toBe('critical');
	});

	it.each(['SUCCESS', 'FAILED', 'PENDING', 'INTERVENTION_REQUIRED', 'review_required', 'Cancelled'])('a job in %s is never above ok, but keeps its evidence', status => {
		const observed = observe({silenceMs: 5 * 60 * minute, sample: makeSample({rssBytes: 4096 * MB, lost: 'gone'}), cpuHistory: busy});
		const assessment = assess(makeJob({status}), observed, makeConfig(), now);
		expect(assessment.monitored).toBe(false);
		expect(assessment.severity).toBe('ok');
		expect(assessment.evidence.map(item => [item.name, item.severity])).toEqual([['silence', 'ok'], ['busy', 'ok'], ['memory', 'ok'], ['process', 'ok']]);
		expect(signal(assessment.evidence, 'silence')?.message).toBe('silent 5h (critical at 1h); not monitored');
	});

	it('follows the configured monitored statuses', () => {
		const config = makeConfig({monitoredStatuses: 'running, queued'});
		expect(assess(makeJob({status: 'QUEUED'}), observe({silenceMs: 61 * minute}), config, now).severity).toBe('critical');
		expect(assess(makeJob({status: 'REVIEWING'}), observe({silenceMs: 61 * minute}), config, now).severity).toBe('ok');
	});
});

describe('highestSeverity', () => {
	it('is ok for none and the highest otherwise', () => {
		expect(highestSeverity([])).toBe('ok');
		expect(highestSeverity(['low', 'critical', 'medium'])).toBe('critical');
		expect(highestSeverity(['ok', 'medium', 'low'])).toBe('medium');
	});
});
