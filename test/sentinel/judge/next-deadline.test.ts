import {describe, expect, it} from 'vitest';
import {newJobState, type JobState} from '../../../source/sentinel/job-state.js';
import {nextSilenceDeadline} from '../../../source/sentinel/judge/next-deadline.js';
import type {Assessment} from '../../../source/types.js';

function silentJob(lastActivityMs: number, silenceMs: number, monitored = true): JobState {
	const state = newJobState({valid: false, jobId: 'j', dir: '/j', manifestPath: '/j/job_manifest.json', error: 'unused'});
	const assessment: Assessment = {
		severity: 'ok',
		monitored,
		silenceMs,
		evidence: [],
		diagnosis: null,
		thresholds: {role: 'worker', roleTimeoutMs: 1000, criticalTimeoutMs: 4000, memoryLimitBytes: 1, cpuLimitPercent: 95, cpuSamples: 5},
	};
	return {...state, assessment, lastActivityMs};
}

describe('nextSilenceDeadline', () => {
	it('is the moment silence reaches the next threshold ahead', () => {
		expect(nextSilenceDeadline([silentJob(10_000, 100)])).toBe(10_500);
		expect(nextSilenceDeadline([silentJob(10_000, 500)])).toBe(10_750);
		expect(nextSilenceDeadline([silentJob(10_000, 800)])).toBe(11_000);
		expect(nextSilenceDeadline([silentJob(10_000, 1000)])).toBe(14_000);
	});

	it('takes the earliest job, and skips unmonitored jobs and jobs past critical', () => {
		expect(nextSilenceDeadline([silentJob(10_000, 100), silentJob(9_000, 100)])).toBe(9_500);
		expect(nextSilenceDeadline([silentJob(9_000, 100, false), silentJob(10_000, 100)])).toBe(10_500);
		expect(nextSilenceDeadline([silentJob(0, 5000)])).toBeNull();
		expect(nextSilenceDeadline([])).toBeNull();
	});
});
