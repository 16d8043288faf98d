import type {JobView} from '../sentinel/snapshot.js';
import {severities} from '../types.js';

/** `sentinel_job_severity`: 0 ok .. 4 critical, -1 for an invalid job (SPEC section 14). */
export function severityValue(view: JobView): number {
	return view.job.valid ? severities.indexOf(view.severity) : -1;
}

/**
 * The cadence signal's phi (its evidence value, SPEC section 13); 0 while the job has no rhythm
 * yet (fewer than 10 intervals) or the signal is off (`--cadence-threshold 0`).
 */
export function cadencePhi(view: JobView): number {
	const signal = view.assessment?.evidence.find(evidence => evidence.name === 'cadence');
	return typeof signal?.value === 'number' && Number.isFinite(signal.value) ? signal.value : 0;
}

/** The diagnosis kind of the job's assessment (`looping-output`, `waiting-on-lock`, ...), else "" (SPEC section 12). */
export function diagnosisKind(view: JobView): string {
	return view.assessment?.diagnosis?.kind ?? '';
}
