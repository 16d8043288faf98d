import type {AuditEntry, Diagnosis, InvalidJob, JobRecord, Severity, Signal} from '../types.js';

/** A notice, about one job when it names one. */
export type Notice = {message: string; jobId?: string; dir?: string};

/** Every event the engine emits; headless prints each as one JSON line. */
export type EngineEvents = {
	'job.added': [job: JobRecord];
	'job.removed': [job: {jobId: string; dir: string}];
	'job.invalid': [job: InvalidJob];
	assessment: [change: {jobId: string; dir: string; severity: Severity; previousSeverity: Severity | null; evidence: Signal[]; diagnosis: Diagnosis | null}];
	intervention: [event: {dir: string; entry: AuditEntry}];
	/**
	 * Something worth a line on screen that never ends a command: a held lock, a failed hook, a
	 * future stamp. Not EventEmitter's `error`, which throws when nobody listens.
	 */
	notice: [notice: Notice];
	/** A new snapshot is ready. */
	snapshot: [];
	/** A tick ended (for the metrics' tick histogram): how long it took, in ms. */
	tick: [durationMs: number];
};
