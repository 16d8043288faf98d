import {describe, expect, it} from 'vitest';
import {loadConfig, type Config} from '../../../source/config/load-config.js';
import {assessJob, type AssessmentOutlet} from '../../../source/sentinel/judge/assess-job.js';
import {newJobState, type JobState} from '../../../source/sentinel/job-state.js';
import type {ValidJob} from '../../../source/types.js';
import {makeTempDir} from '../../helpers/temp-dir.js';

const second = 1000;
const minute = 60 * second;
const start = Date.UTC(2025, 5, 1, 12, 0, 0);
const quiet: AssessmentOutlet = {report: () => {}, changed: () => {}};

function makeConfig(flags: Record<string, unknown> = {}): Config {
	return loadConfig({flags: {interval: '2s', workerTimeout: '30m', ...flags}, env: {}, home: makeTempDir()});
}

function makeState(): JobState {
	const job: ValidJob = {
		valid: true,
		jobId: 'rhythmic',
		dir: '/jobs/rhythmic',
		manifestPath: '/jobs/rhythmic/job_manifest.json',
		status: 'RUNNING',
		role: 'worker',
		pid: null,
		processStartMs: null,
		description: '',
		command: null,
		latestStampMs: null,
		overrides: {},
		manifestMtimeMs: start,
		ownerUid: 0,
		ownerGid: 0,
		contentKey: 'key',
	};
	return newJobState(job);
}

/** The job writes at `at`; the sentinel's next tick, a little later, hears it. */
function writesAt(state: JobState, at: number, config: Config): void {
	state.fileActivityMs = at;
	assessJob(state, at + 300, config, quiet, true);
}

/** Ticks every 2 s from `from` to `to` (fake time). */
function ticks(state: JobState, from: number, to: number, config: Config): void {
	for (let now = from; now <= to; now += 2 * second) assessJob(state, now, config, quiet, true);
}

const cadenceOf = (state: JobState) => state.assessment!.evidence.find(signal => signal.name === 'cadence');

describe('assessJob and the job\'s rhythm (SPEC section 13)', () => {
	it('learns the intervals between activity events on ticks, and warns once silence is far past them', () => {
		const config = makeConfig();
		const state = makeState();
		for (let beat = 0; beat <= 20; beat++) writesAt(state, start + beat * 5 * second, config);
		expect(state.rhythm.count).toBe(20);
		expect(state.rhythm.meanMs).toBe(5 * second);
		const last = start + 100 * second;
		ticks(state, last + 2 * second, last + 8 * second, config);
		expect(state.assessment!.severity).toBe('ok');
		ticks(state, last + 10 * second, last + 10 * second, config);
		expect(cadenceOf(state)).toMatchObject({severity: 'low'});
		ticks(state, last + 12 * second, last + 4 * minute + 10 * second, config);
		expect(state.assessment!.severity).toBe('medium');
		expect(cadenceOf(state)).toMatchObject({severity: 'medium', threshold: 8});
		expect(cadenceOf(state)!.message).toBe('silent 4m10s, 50x its usual 5s');
		// Silence alone is still ok at 4 minutes of a 30-minute timeout.
		expect(state.assessment!.evidence.find(signal => signal.name === 'silence')).toMatchObject({severity: 'ok'});
	});

	it('learns nothing while the job is above ok: the pause of a hang never becomes its usual rhythm', () => {
		const config = makeConfig();
		const state = makeState();
		for (let beat = 0; beat <= 20; beat++) writesAt(state, start + beat * 5 * second, config);
		const last = start + 100 * second;
		ticks(state, last + 2 * second, last + 4 * minute, config);
		expect(state.assessment!.severity).toBe('medium');
		// It writes again: the 4-minute interval ended while it was above ok, and is not learnt.
		writesAt(state, last + 4 * minute + 1000, config);
		expect(state.assessment!.severity).toBe('ok');
		expect(state.rhythm.count).toBe(20);
		expect(state.rhythm.meanMs).toBe(5 * second);
		// The next interval, ended while ok, is.
		writesAt(state, last + 4 * minute + 6000, config);
		expect(state.rhythm.count).toBe(21);
		// So the same pause again warns as it did.
		ticks(state, last + 4 * minute + 8000, last + 8 * minute + 6000, config);
		expect(state.assessment!.severity).toBe('medium');
	});

	it('learns the same pause while the job stays ok (the cadence signal off): what the rule above prevents', () => {
		const config = makeConfig({cadenceThreshold: '0'});
		const state = makeState();
		for (let beat = 0; beat <= 20; beat++) writesAt(state, start + beat * 5 * second, config);
		const last = start + 100 * second;
		ticks(state, last + 2 * second, last + 4 * minute, config);
		expect(state.assessment!.severity).toBe('ok');
		expect(cadenceOf(state)).toBeUndefined();
		writesAt(state, last + 4 * minute + 1000, config);
		expect(state.rhythm.count).toBe(21);
		expect(state.rhythm.meanMs).toBeGreaterThan(15 * second);
	});

	it('hears activity for the rhythm only on ticks: a manifest change between ticks is not an interval of its own', () => {
		const config = makeConfig();
		const state = makeState();
		for (let beat = 0; beat <= 3; beat++) writesAt(state, start + beat * 5 * second, config);
		state.fileActivityMs = start + 15 * second + 5;
		assessJob(state, start + 15 * second + 10, config, quiet);
		expect(state.rhythm.count).toBe(3);
		expect(state.rhythm.lastMs).toBe(start + 15 * second);
	});

	it('learns no interval across a clock jump', () => {
		const config = makeConfig();
		const state = makeState();
		for (let beat = 0; beat <= 3; beat++) writesAt(state, start + beat * 5 * second, config);
		const resumed = start + 3 * 3_600_000;
		state.activityFloorMs = resumed;
		writesAt(state, resumed + 5 * second, config);
		expect(state.rhythm.count).toBe(3);
		writesAt(state, resumed + 10 * second, config);
		expect(state.rhythm.count).toBe(4);
		expect(state.rhythm.meanMs).toBe(5 * second);
	});
});
