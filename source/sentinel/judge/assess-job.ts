import type {Config} from '../../config/load-config.js';
import type {ValidJob} from '../../types.js';
import {assess} from './assess.js';
import type {EngineEvents} from '../engine-events.js';
import type {JobState} from '../job-state.js';
import {lastActivity} from '../observe/last-activity.js';

/** Where an assessment is told: a line worth reporting, and a change of severity or diagnosis kind. */
export type AssessmentOutlet = {
	report: (message: string, job: ValidJob) => void;
	changed: (...change: EngineEvents['assessment']) => void;
};

/**
 * Judge one job now: its last activity and its verdict, told when its severity or its diagnosis
 * kind changed (SPEC section 7). On a tick (`tick`), the job's activity is heard for its rhythm
 * (SPEC section 13): once a tick, so the writes of one burst (a manifest and a log a few ms apart)
 * are one event, not a 5 ms interval.
 */
export function assessJob(state: JobState, now: number, config: Config, outlet: AssessmentOutlet, tick = false): void {
	const job = state.record;
	if (!job.valid) {
		state.assessment = null;
		return;
	}
	const activity = lastActivity(state, job, now);
	state.lastActivityMs = activity.ms;
	if (activity.futureStamp) outlet.report(`${job.jobId}: activity stamp ${new Date(activity.futureStamp).toISOString()} is in the future; counted from when it was first seen`, job);
	if (tick) hearRhythm(state, activity.heardMs);
	const progress = state.output ? state.progress : undefined;
	state.assessment = assess(job, {lastActivityMs: activity.ms, sample: state.sample, cpuHistory: state.cpuHistory, progress, rhythm: state.rhythm, readings: state.readings}, config, now);
	// A job that names a process is first told once that process is sampled (next tick): its first
	// verdict whole, never a silence-only one that the same tick's sample overturns.
	if (job.pid !== null && state.sample === null) return;
	const {severity, diagnosis} = state.assessment;
	const kind = diagnosis?.kind ?? null;
	if (state.reportedSeverity === severity && state.reportedKind === kind) return;
	const previousSeverity = state.reportedSeverity;
	state.reportedSeverity = severity;
	state.reportedKind = kind;
	outlet.changed({jobId: job.jobId, dir: job.dir, severity, previousSeverity, evidence: state.assessment.evidence, diagnosis});
}

/** An interval is learnt only while the job is ok, and never across a clock jump's floor. */
function hearRhythm(state: JobState, heardMs: number | null): void {
	if (heardMs === null) return;
	const {rhythm} = state;
	if (rhythm.lastMs !== null && rhythm.lastMs < state.activityFloorMs) rhythm.restart();
	rhythm.heard(heardMs, (state.assessment?.severity ?? 'ok') === 'ok');
}
