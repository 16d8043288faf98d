import {latestFileActivity} from '../../jobs/activity-files.js';
import {isOutputFile} from '../../jobs/output-files.js';
import type {JobState} from '../job-state.js';
import {freshLook} from '../observe/output-follower.js';

/**
 * Right before a recover or terminate that silence called for, the job's files are stat'ed afresh:
 * true (and the job's activity brought up to date) when it turns out to be active after all.
 * Output files followed for their lines (SPEC section 11) are judged as on a tick instead: what
 * they gained is read, and only a new line saves the job, never their mtimes.
 * Actions called for by memory or a lost process go ahead whatever the files say.
 */
export async function activeAfterAll(state: JobState, now = Date.now()): Promise<boolean> {
	const evidence = state.assessment?.evidence ?? [];
	const severity = state.assessment?.severity ?? 'ok';
	// A prompt's raise (the diagnosis signal) is silence's, as a busy hang's is.
	const silenceDriven = evidence.some(signal => (signal.name === 'silence' || signal.name === 'busy' || signal.name === 'diagnosis') && signal.severity === severity);
	const otherwiseDriven = evidence.some(signal => (signal.name === 'memory' || signal.name === 'process') && signal.severity === severity);
	if (!silenceDriven || otherwiseDriven) return false;
	const following = state.output !== null;
	const latest = latestFileActivity(state.record.dir, state.ownWriteMtimeMs, undefined, following ? isOutputFile : undefined);
	// A new line found now was written after the tick's read, so after the silence was judged.
	const newLine = following && freshLook(state, now) !== null;
	const written = latest !== null && state.lastActivityMs !== null && latest > state.lastActivityMs;
	if (written) state.fileActivityMs = Math.max(state.fileActivityMs ?? 0, latest);
	return newLine || written;
}
