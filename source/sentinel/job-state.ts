import type {Assessment, DiagnosisKind, JobRecord, Severity, TreeSample} from '../types.js';
import {Rhythm} from './judge/cadence.js';
import type {Progress} from './judge/progress.js';
import type {OutputMemory} from './observe/output-follower.js';
import type {TreeReadings} from './observe/diagnosis-readings.js';

/** CPU samples kept per job for the busy-hang signal. */
export const historyLength = 60;

/** Samples kept per job for its sparklines: the widest the job table draws (ui/job-table/columns.ts). */
export const sparkLength = 12;

/** What the engine remembers about one job between ticks. Owned by the engine alone. */
export type JobState = {
	record: JobRecord;
	/** mtime, size and inode of the manifest when last read: a change the watcher missed shows here. */
	manifestSignature: string;
	/** When the manifest was first seen unreadable while the job was valid (a write in progress?). */
	brokenSince: number | null;
	/** Newest mtime of the job's files, the sentinel's own left out. */
	fileActivityMs: number | null;
	/** Silence never counts from before this moment (raised after a clock jump). */
	activityFloorMs: number;
	/** The pid as first read from the manifest, with the manifest's mtime then (identity). */
	firstSeenPid: {pid: number; manifestMtimeMs: number; at: number} | null;
	/** A manifest stamp in the future, counted as the moment it was first seen. */
	futureStamp: {stampMs: number; firstSeenMs: number} | null;
	/** mtime of the manifest as the sentinel last wrote it: not the job's activity. */
	ownWriteMtimeMs: number | undefined;
	/** Last activity as of the latest assessment (epoch ms). */
	lastActivityMs: number | null;
	sample: TreeSample | null;
	/** Trusted tree CPU samples, newest last (busy hang). */
	cpuHistory: readonly number[];
	cpuSpark: readonly number[];
	rssSpark: readonly number[];
	assessment: Assessment | null;
	/** Severity of the last assessment event sent, null before the first. */
	reportedSeverity: Severity | null;
	/**
	 * What the job's output says of its progress (SPEC section 11): complete lines read since its
	 * last new one, and the latest of them (sanitised, at most 120 characters). Named in the silence
	 * signal's message; the diagnosis reads it for `looping-output`. Stays at 0 and null with
	 * --no-loop-detection.
	 */
	progress: Progress;
	/** The output follower's memory of the job (files, offsets, recent lines); null with --no-loop-detection. */
	output: OutputMemory | null;
	/** The intervals between the job's activity events, for the cadence signal (SPEC section 13). */
	rhythm: Rhythm;
	/** What its processes wait on, as last read for the diagnosis (SPEC section 12); null when not read. */
	readings: TreeReadings | null;
	/** The diagnosis kind of the last assessment event sent: a new kind is told, as a new severity is. */
	reportedKind: DiagnosisKind | null;
};

export function newJobState(record: JobRecord): JobState {
	return {
		record,
		manifestSignature: '',
		brokenSince: null,
		fileActivityMs: null,
		activityFloorMs: 0,
		firstSeenPid: null,
		futureStamp: null,
		ownWriteMtimeMs: undefined,
		lastActivityMs: null,
		sample: null,
		cpuHistory: [],
		cpuSpark: [],
		rssSpark: [],
		assessment: null,
		reportedSeverity: null,
		progress: {repeatsSinceNew: 0, sample: null},
		output: null,
		rhythm: new Rhythm(),
		readings: null,
		reportedKind: null,
	};
}
