import type {JobState} from '../job-state.js';

/**
 * The moment (epoch ms) the first job's silence will cross its next threshold (0.5 T, 0.75 T, T
 * or C), or null when no monitored job has one ahead. The engine wakes for it, so a hang is acted
 * on when it happens, not up to a whole interval later.
 */
export function nextSilenceDeadline(states: Iterable<JobState>): number | null {
	let earliest: number | null = null;
	for (const state of states) {
		const {assessment, lastActivityMs} = state;
		if (!assessment?.monitored || lastActivityMs === null) continue;
		const {roleTimeoutMs, criticalTimeoutMs} = assessment.thresholds;
		const ahead = firstAbove(assessment.silenceMs, 0.5 * roleTimeoutMs, 0.75 * roleTimeoutMs, roleTimeoutMs, criticalTimeoutMs);
		if (ahead === null) continue;
		const deadline = lastActivityMs + Math.ceil(ahead);
		if (earliest === null || deadline < earliest) earliest = deadline;
	}
	return earliest;
}

// Without an array and a closure per job per tick.
function firstAbove(silenceMs: number, low: number, medium: number, high: number, critical: number): number | null {
	if (low > silenceMs) return low;
	if (medium > silenceMs) return medium;
	if (high > silenceMs) return high;
	return critical > silenceMs ? critical : null;
}
