import type {JobView} from '../sentinel/snapshot.js';
import {severities} from '../types.js';

/** `sentinel_job_severity`: 0 ok .. 4 critical, -1 for an invalid job (SPEC section 14). */
export function severityValue(view: JobView): number {
	return view.job.valid ? severities.indexOf(view.severity) : -1;
}

// The cadence signal and the diagnosis come with issue 16 (SPEC sections 12 and 13). Until the
// snapshot carries them, phi reads 0 and the diagnosis "": the metrics keep their names, and
// these two readings pick the values up as soon as the assessment has them.

/** The cadence signal's phi (its evidence value), else 0. */
export function cadencePhi(view: JobView): number {
	const signal = view.assessment?.evidence.find(evidence => (evidence.name as string) === 'cadence');
	return typeof signal?.value === 'number' && Number.isFinite(signal.value) ? signal.value : 0;
}

/** The diagnosis kind of the job's assessment (`looping-output`, `waiting-on-lock`, ...), else "". */
export function diagnosisKind(view: JobView): string {
	const diagnosis = (view.assessment as {diagnosis?: {kind?: unknown} | null} | null)?.diagnosis;
	return typeof diagnosis?.kind === 'string' ? diagnosis.kind : '';
}
