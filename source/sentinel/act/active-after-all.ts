import {latestFileActivity} from '../../jobs/activity-files.js';
import type {JobState} from '../job-state.js';

/**
 * Right before a recover or terminate that silence called for, the job's files are stat'ed afresh:
 * true (and the job's activity brought up to date) when it turns out to be active after all.
 * Actions called for by memory or a lost process go ahead whatever the files say.
 */
export async function activeAfterAll(state: JobState): Promise<boolean> {
	const evidence = state.assessment?.evidence ?? [];
	const severity = state.assessment?.severity ?? 'ok';
	const silenceDriven = evidence.some(signal => (signal.name === 'silence' || signal.name === 'busy') && signal.severity === severity);
	const otherwiseDriven = evidence.some(signal => (signal.name === 'memory' || signal.name === 'process') && signal.severity === severity);
	if (!silenceDriven || otherwiseDriven) return false;
	const latest = latestFileActivity(state.record.dir, state.ownWriteMtimeMs);
	if (latest === null || state.lastActivityMs === null || latest <= state.lastActivityMs) return false;
	state.fileActivityMs = Math.max(state.fileActivityMs ?? 0, latest);
	return true;
}
