import type {Config} from '../../config/load-config.js';
import type {ValidJob} from '../../types.js';
import {assess} from './assess.js';
import type {EngineEvents} from '../engine-events.js';
import type {JobState} from '../job-state.js';
import {lastActivity} from '../observe/last-activity.js';

/** Where an assessment is told: a line worth reporting, and a change of severity. */
export type AssessmentOutlet = {
	report: (message: string, job: ValidJob) => void;
	changed: (...change: EngineEvents['assessment']) => void;
};

/** Judge one job now: its last activity and its verdict, told when its severity changed. */
export function assessJob(state: JobState, now: number, config: Config, outlet: AssessmentOutlet): void {
	const job = state.record;
	if (!job.valid) {
		state.assessment = null;
		return;
	}
	const activity = lastActivity(state, job, now);
	state.lastActivityMs = activity.ms;
	if (activity.futureStamp) outlet.report(`${job.jobId}: activity stamp ${new Date(activity.futureStamp).toISOString()} is in the future; counted from when it was first seen`, job);
	state.assessment = assess(job, {lastActivityMs: activity.ms, sample: state.sample, cpuHistory: state.cpuHistory}, config, now);
	// A job that names a process is first told once that process is sampled (next tick): its first
	// verdict whole, never a silence-only one that the same tick's sample overturns.
	if (job.pid !== null && state.sample === null) return;
	const severity = state.assessment.severity;
	if (state.reportedSeverity === severity) return;
	const previousSeverity = state.reportedSeverity;
	state.reportedSeverity = severity;
	outlet.changed({jobId: job.jobId, dir: job.dir, severity, previousSeverity, evidence: state.assessment.evidence});
}
