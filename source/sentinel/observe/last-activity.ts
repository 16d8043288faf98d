import type {ValidJob} from '../../types.js';
import type {JobState} from '../job-state.js';

/** Stamps up to this far ahead are clock noise between machines, not the future. */
const futureToleranceMs = 2000;

/**
 * A job's last activity: the latest of its manifest's stamps and its files' mtimes, never before
 * the floor a clock jump set. A manifest stamp in the future counts as the moment it was first
 * seen; `futureStamp` names it the first time, so it can be reported once. `heardMs` is the
 * latest activity the job made itself, the floor left out (null before any).
 */
export function lastActivity(state: JobState, job: ValidJob, now: number): {ms: number; heardMs: number | null; futureStamp: number | null} {
	let stamp = job.latestStampMs;
	let futureStamp: number | null = null;
	if (stamp !== null && stamp > now + futureToleranceMs) {
		if (state.futureStamp?.stampMs !== stamp) {
			state.futureStamp = {stampMs: stamp, firstSeenMs: now};
			futureStamp = stamp;
		}
		stamp = state.futureStamp.firstSeenMs;
	}
	// The job's own latest activity, before the floor: its moment is an activity event (cadence).
	const heard = Math.max(stamp ?? 0, state.fileActivityMs ?? 0);
	const ms = Math.max(heard, state.activityFloorMs, 0);
	return {ms: ms === 0 ? now : ms, heardMs: heard > 0 ? heard : null, futureStamp};
}
