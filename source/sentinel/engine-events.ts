import type {AuditEntry, InvalidJob, JobRecord, Severity, Signal} from '../types.js';

/** Every event the engine emits; headless prints each as one JSON line. */
export type EngineEvents = {
	'job.added': [job: JobRecord];
	'job.removed': [job: {jobId: string; dir: string}];
	'job.invalid': [job: InvalidJob];
	assessment: [change: {jobId: string; dir: string; severity: Severity; previousSeverity: Severity | null; evidence: Signal[]}];
	intervention: [event: {dir: string; entry: AuditEntry}];
	error: [problem: {message: string; jobId?: string; dir?: string}];
	/** A new snapshot is ready. */
	snapshot: [];
};
