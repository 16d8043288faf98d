import type {ValidJob} from '../../types.js';
import type {ActionRequest} from './carry-out.js';
import type {ExpectedProcess} from './identity.js';
import {processStartToleranceMs} from './identity.js';
import type {JobState} from '../job-state.js';
import {rootProcess} from '../observe/root-process.js';
import type {ManualTarget} from '../snapshot.js';

/** The process an action on this job should stop, or why there is none to signal. */
export function actionTarget(state: JobState, job: ValidJob): {expected: ExpectedProcess | null; noProcessReason?: string} {
	const lost = state.sample?.lost ?? null;
	if (job.pid === null) return {expected: null, noProcessReason: 'the job names no pid'};
	if (lost) return {expected: null, noProcessReason: `process lost (${lost})`};
	const notAfterMs = state.firstSeenPid?.manifestMtimeMs ?? job.manifestMtimeMs;
	return {expected: {pid: job.pid, processStartMs: job.processStartMs, notAfterMs, ownerUid: job.ownerUid}};
}

/** A recover or terminate of this job as it stands, by `actor` (automatic ones count against the hour's limit). */
export function actionRequest(state: JobState, job: ValidJob, action: 'recover' | 'terminate', reason: string, actor: 'auto' | 'user'): ActionRequest {
	const severity = state.assessment?.severity ?? 'ok';
	const evidence = state.assessment?.evidence ?? [];
	return {action, actor, job, severity, evidence, reason, ...actionTarget(state, job), expectedContentKey: job.contentKey, counted: actor === 'auto', assessment: state.assessment, sample: state.sample};
}

/** The start time of the job's root process as last sampled. */
function rootStart(state: JobState): number | null {
	return rootProcess(state.sample)?.startTimeMs ?? null;
}

/**
 * Why a confirmed manual action must not go ahead because the job's process is no longer the one
 * the operator saw (another pid, or a start time further off than the identity tolerance); null
 * when it is the same.
 */
export function targetChanged(state: JobState, job: ValidJob, target: ManualTarget): string | null {
	const now = job.processStartMs ?? rootStart(state);
	const seen = target.processStartMs;
	const sameStart = seen === null || now === null ? seen === now : Math.abs(seen - now) <= processStartToleranceMs;
	if (job.pid === target.pid && sameStart) return null;
	return `the job's process changed since the confirmation (pid ${target.pid} -> ${job.pid}); nothing done`;
}
