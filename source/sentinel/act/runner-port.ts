import type {Config} from '../../config/load-config.js';
import type {AuditEntry} from '../../types.js';
import type {JobState} from '../job-state.js';

/**
 * What the intervention runner needs of the engine, and nothing more: the engine builds it, so
 * neither knows the other's inside.
 */
export type RunnerPort = {
	readonly config: Config;
	/** The engine's clock, in epoch ms. */
	now(): number;
	/** A notice: a line on screen, an `error` line headless; never ends a command. */
	report(message: string, job?: {jobId: string; dir: string}): void;
	/** The job kept for a directory, if it is still known. */
	job(dir: string): JobState | undefined;
	/** Read a job's manifest again now (after the sentinel's own write). */
	reread(dir: string): void;
	/** Judge a job again now, without sampling (it turned out active after all). */
	reassess(state: JobState): void;
	/** An audit entry was recorded for the job in `dir`. */
	intervened(event: {dir: string; entry: AuditEntry}): void;
	/** Something the screen shows changed (the audit log, the actor). */
	changed(): void;
};
