// The vocabulary shared by the engine, the modes and the screen. No behaviour lives here.

import type {TreeReadings} from './sentinel/observe/diagnosis-readings.js';

export const severities = ['ok', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export type Role = 'worker' | 'supervisor';

/** Per-job overrides from the manifest's optional `sentinel` object, already parsed to ms / bytes. */
export type JobOverrides = {
	/** Role timeout T for this job, in ms. */
	timeoutMs?: number;
	/** Critical timeout C for this job, in ms. */
	criticalTimeoutMs?: number;
	/** Memory limit for this job's tree, in bytes. */
	memoryLimitBytes?: number;
	/** Busy-hang CPU threshold for this job, percent of one core. */
	cpuLimitPercent?: number;
};

type JobBase = {
	/** `job_id` from the manifest, else the directory name: the job's name everywhere. */
	jobId: string;
	/** Absolute path of the job directory. */
	dir: string;
	/** Absolute path of `job_manifest.json`. */
	manifestPath: string;
};

/** A manifest that parsed and validated. */
export type ValidJob = JobBase & {
	valid: true;
	/** The status as the manifest spells it (compare case-insensitively). */
	status: string;
	role: Role;
	/** The job's process id, an integer > 1, or null when the manifest names none. */
	pid: number | null;
	/** When the job's process started (epoch ms), from `process_start`, if given. */
	processStartMs: number | null;
	/** `description`, else `objective`, stripped of control characters. */
	description: string;
	/** `command`, when the manifest has one (written by `sentinel-tui run`). */
	command: string | null;
	/** The latest activity stamp in the manifest (epoch ms), the sentinel's own history excluded. */
	latestStampMs: number | null;
	overrides: JobOverrides;
	/** mtime of the manifest file when it was read (epoch ms). */
	manifestMtimeMs: number;
	/** Owner uid of the manifest file. */
	ownerUid: number;
	/** Owner gid of the manifest file. */
	ownerGid: number;
	/** Raw text hash or content key, to tell whether the manifest changed since it was read. */
	contentKey: string;
};

/** A manifest that could not be read or validated: shown with its reason, never acted on. */
export type InvalidJob = JobBase & {
	valid: false;
	/** One line saying what is wrong. */
	error: string;
};

export type JobRecord = ValidJob | InvalidJob;

/** One process as read from the process table in one scan. */
export type ProcessInfo = {
	pid: number;
	ppid: number;
	pgid: number;
	sid: number;
	/** State letter from /proc/<pid>/stat: R, S, D, Z, T, ... */
	state: string;
	/** When the process started, epoch ms (resolution: one clock tick). */
	startTimeMs: number;
	/** utime + stime, in ms of CPU time. */
	cpuTimeMs: number;
	rssBytes: number;
	/** Short command name (comm), not trusted for display without stripping. */
	name: string;
};

/** A process of a job's tree as sampled in one tick. */
export type ProcessSample = ProcessInfo & {
	/** CPU percent of one core since the previous sample; null on the first sample. */
	cpuPercent: number | null;
};

/** One tick's sample of a job's process tree. */
export type TreeSample = {
	/** When the sample was taken (epoch ms). */
	at: number;
	rootPid: number;
	/** The root process and every live descendant; empty when the root is gone. */
	processes: ProcessSample[];
	/** CPU percent of one core, summed over the tree. */
	cpuPercent: number;
	/** False when the root process was seen for the first time (its CPU cannot be trusted yet). */
	cpuTrusted: boolean;
	rssBytes: number;
	/** Why the job's process counts as lost (gone, zombie, not the job's process), or null. */
	lost: string | null;
};

/** Everything `assess` needs about a job besides its manifest. */
export type JobObservation = {
	/** Latest activity (epoch ms): manifest stamps and file mtimes, clock jumps applied. */
	lastActivityMs: number;
	/** This tick's tree sample, or null when the job names no pid. */
	sample: TreeSample | null;
	/** Consecutive trusted samples (newest last) of tree CPU percent, bounded. */
	cpuHistory: readonly number[];
	/** What the job's output says of its progress (SPEC section 11); absent with --no-loop-detection. */
	progress?: {repeatsSinceNew: number; sample: string | null};
	/** The intervals between the job's activity events (SPEC section 13), for the cadence signal. */
	rhythm?: {count: number; meanMs: number; deviationMs: number};
	/** What the tree's processes wait on, read from /proc for the diagnosis (SPEC section 12). */
	readings?: TreeReadings | null;
};

export type SignalName = 'silence' | 'memory' | 'process' | 'busy' | 'cadence' | 'diagnosis';

/** One piece of evidence: a signal with its value, threshold and a one-line message. */
export type Signal = {
	name: SignalName;
	severity: Severity;
	value: number | string;
	threshold: number | string;
	message: string;
};

export type Thresholds = {
	role: Role;
	/** Role timeout T in ms, already capped at the critical timeout. */
	roleTimeoutMs: number;
	criticalTimeoutMs: number;
	memoryLimitBytes: number;
	cpuLimitPercent: number;
	cpuSamples: number;
};

export type Assessment = {
	severity: Severity;
	/** Whether the job's status is monitored (others are shown, never acted on, always ok). */
	monitored: boolean;
	silenceMs: number;
	thresholds: Thresholds;
	/** Every signal considered, each with value, threshold and message. */
	evidence: Signal[];
	/** What its processes are doing (SPEC section 12); null outside the monitored statuses. */
	diagnosis: Diagnosis | null;
};

/** The kinds of diagnosis, in the order they are tried: the first that holds (SPEC section 12). */
export const diagnosisKinds = ['gone', 'stopped', 'looping-output', 'waiting-for-input', 'waiting-on-lock', 'waiting-on-network', 'disk-wait', 'busy', 'sleeping', 'ok'] as const;
export type DiagnosisKind = (typeof diagnosisKinds)[number];

/** Why a job is where it is: the process that explains it, and what that process does. */
export type Diagnosis = {
	kind: DiagnosisKind;
	/** The deepest process of the tree that explains the job; null for a job naming none. */
	pid: number | null;
	/** That process's command line, sanitised and cut; null when unknown. */
	command: string | null;
	/** One line: the file, the peer, the sample line, the CPU, what it sleeps on. */
	detail: string;
};

export type ActionName = 'notify' | 'recover' | 'terminate';
export type Actor = 'auto' | 'user';
export type ActionResult = 'started' | 'ok' | 'failed' | 'skipped' | 'dry-run';

/** One line of `<jobs-dir>/.sentinel/audit.jsonl` (SPEC section 6). */
export type AuditEntry = {
	ts: string;
	job_id: string;
	action: ActionName;
	actor: Actor;
	severity: Severity;
	result: ActionResult;
	action_id: string;
	reason: string;
	evidence: Signal[];
	pids: {signalled: number[]; killed: number[]};
	sentinel: {pid: number; host: string};
	/** Extra facts: status transition, stop duration, hook results. */
	[extra: string]: unknown;
};
