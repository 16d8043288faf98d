import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {activeAfterAll} from '../../../source/sentinel/act/active-after-all.js';
import {newJobState, type JobState} from '../../../source/sentinel/job-state.js';
import {OutputFollower} from '../../../source/sentinel/observe/output-follower.js';
import type {Severity, Signal, SignalName} from '../../../source/types.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

function hungState(dir: string, lastActivityMs: number, severity: Severity, cause: SignalName): JobState {
	const state = newJobState({valid: false, jobId: 'j', dir, manifestPath: path.join(dir, 'job_manifest.json'), error: 'unused'});
	const evidence: Signal[] = [{name: cause, severity, value: 0, threshold: 0, message: ''}];
	const thresholds = {role: 'worker' as const, roleTimeoutMs: 1, criticalTimeoutMs: 1, memoryLimitBytes: 1, cpuLimitPercent: 95, cpuSamples: 5};
	return {...state, lastActivityMs, assessment: {severity, monitored: true, silenceMs: 0, thresholds, evidence, diagnosis: null}};
}

describe('activeAfterAll', () => {
	it('finds a silent job that wrote a file since its assessment active, and records the activity', async () => {
		const dir = writeJob(makeTempDir(), 'job', {status: 'RUNNING'});
		const past = Date.now() - 3_600_000;
		fs.utimesSync(path.join(dir, 'job_manifest.json'), new Date(past), new Date(past));
		const state = hungState(dir, past, 'high', 'silence');
		expect(await activeAfterAll(state)).toBe(false);
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), 'alive\n');
		expect(await activeAfterAll(state)).toBe(true);
		expect(state.fileActivityMs).toBeGreaterThan(past);
	});

	it('lets an action called for by memory or a lost process go ahead whatever the files say', async () => {
		const dir = writeJob(makeTempDir(), 'job', {status: 'RUNNING'});
		const past = Date.now() - 3_600_000;
		expect(await activeAfterAll(hungState(dir, past, 'high', 'memory'))).toBe(false);
		expect(await activeAfterAll(hungState(dir, past, 'high', 'process'))).toBe(false);
	});

	it('does not count the sentinel’s own files as activity', async () => {
		const dir = writeJob(makeTempDir(), 'job', {status: 'RUNNING'});
		const past = Date.now() - 3_600_000;
		fs.utimesSync(path.join(dir, 'job_manifest.json'), new Date(past), new Date(past));
		fs.writeFileSync(path.join(dir, '.lock'), '');
		fs.mkdirSync(path.join(dir, '.backups'));
		fs.writeFileSync(path.join(dir, '.backups', 'job_manifest_20260101_000000.json.backup'), '{}');
		expect(await activeAfterAll(hungState(dir, past, 'critical', 'silence'))).toBe(false);
	});
});

describe('activeAfterAll, with loop detection (SPEC section 11)', () => {
	it('judges output files by their new lines, not their mtimes: repeats do not save the job, a new line does', async () => {
		const dir = writeJob(makeTempDir(), 'job', {status: 'RUNNING'});
		fs.mkdirSync(path.join(dir, 'logs'));
		const log = path.join(dir, 'logs', 'output.log');
		fs.writeFileSync(log, '');
		const past = Date.now() - 3_600_000;
		fs.utimesSync(path.join(dir, 'job_manifest.json'), new Date(past), new Date(past));
		const base = hungState(dir, past, 'high', 'silence');
		const state: JobState = {...base, record: {...base.record, valid: true} as never};
		new OutputFollower(1000, () => {}).attach(state);
		fs.appendFileSync(log, '2025-11-30T13:12:10Z waiting for the rate limit (attempt 1/10)\n');
		// The first time, the line is new.
		expect(await activeAfterAll(state)).toBe(true);
		// A minute ago: an output file's mtime is later, and must not count.
		state.lastActivityMs = Date.now() - 60_000;
		for (let attempt = 2; attempt <= 4; attempt++) {
			fs.appendFileSync(log, `2025-11-30T13:1${attempt}:10Z waiting for the rate limit (attempt ${attempt}/10)\n`);
			// Its mtime is fresh, and its line a repeat: the job is not active after all.
			expect(await activeAfterAll(state)).toBe(false);
		}
		expect(state.progress.repeatsSinceNew).toBe(3);
		fs.appendFileSync(log, 'rate limit lifted, writing the report\n');
		expect(await activeAfterAll(state)).toBe(true);
		// Other files still count by their writes.
		fs.writeFileSync(path.join(dir, 'notes.md'), 'touched');
		expect(await activeAfterAll(state)).toBe(true);
	});
});
