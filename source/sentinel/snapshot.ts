import type {ActionName, Assessment, AuditEntry, JobRecord, Severity, TreeSample} from '../types.js';

/** What the screen and the JSON modes know about one job after a tick. Immutable. */
export type JobView = {
	readonly job: JobRecord;
	/** This tick's tree sample; null without a pid or for an invalid job. */
	readonly sample: TreeSample | null;
	/** null for an invalid job. */
	readonly assessment: Assessment | null;
	readonly severity: Severity;
	/** Latest activity (epoch ms), or null for an invalid job. */
	readonly lastActivityMs: number | null;
	/** Recent tree CPU percent, oldest first, bounded (for sparklines). */
	readonly cpuHistory: readonly number[];
	/** Recent tree RSS in bytes, oldest first, bounded. */
	readonly rssHistory: readonly number[];
	/** Paused jobs are sampled and assessed, never acted on automatically. */
	readonly paused: boolean;
	/** When the job's current process was first seen (epoch ms), for UPTIME. */
	readonly startedMs: number | null;
	/** In the fleet view: the host whose sentinel reports this job (`sentinel_info`'s `host`). */
	readonly host?: string;
	/** In the fleet view: its host is down or its last scrape is old; the row shows the last known values. */
	readonly stale?: boolean;
};

/** One sentinel as the fleet view sees it through Prometheus. */
export type FleetHost = {
	/** `sentinel_info`'s `host` label, checked plain (SPEC section 14). */
	readonly host: string;
	/** Prometheus's `instance` label of the scrape target. */
	readonly instance: string;
	/** `sentinel_info`'s `jobs_dir`: what the action commands get as `--jobs-dir`. */
	readonly jobsDir: string;
	/** When Prometheus last scraped it successfully (epoch ms), or null when never seen up. */
	readonly lastScrapeMs: number | null;
	/** Down (`up` 0 or absent) or not scraped for a while: its jobs are kept and marked stale. */
	readonly stale: boolean;
	/** Why it is stale or refused (a label that is not plain), in words, or null. */
	readonly problem: string | null;
};

/** What only the fleet view has: the Prometheus it reads and the hosts behind it. */
export type FleetState = {
	readonly prometheus: string;
	readonly hosts: readonly FleetHost[];
	/** Prometheus unreachable, slow or answering errors, in words; null when the last refresh worked. */
	readonly problem: string | null;
	/** When the last refresh that worked finished (epoch ms), or null before the first. */
	readonly refreshedMs: number | null;
};

/** Who acts on this jobs directory. */
export type ActorState = {
	/** True when this instance holds the leader lock and acts automatically. */
	readonly acting: boolean;
	/** The sentinel that holds the leader lock, when known. */
	readonly leader: {readonly pid: number; readonly host: string} | null;
	/** Why this instance cannot take part in the leader election (a `.sentinel` link, no permission), or null. */
	readonly problem: string | null;
};

/** One immutable picture of the world, made after each tick. */
export type Snapshot = {
	readonly generatedAt: number;
	readonly tick: number;
	readonly jobsDir: string;
	readonly jobsDirExists: boolean;
	/** In no particular order; the screen sorts. */
	readonly jobs: readonly JobView[];
	/** Automatic action on for this instance (off with --no-auto or the `a` key). */
	readonly auto: boolean;
	readonly dryRun: boolean;
	readonly actor: ActorState;
	readonly interventionsLastHour: number;
	readonly maxInterventions: number;
	/** Newest last, bounded. */
	readonly recentAudit: readonly AuditEntry[];
	/** 'watch' with file watches, 'poll' where a watch could not be set. */
	readonly watchMode: 'watch' | 'poll';
	/** Problems worth a line on screen (watch fallbacks, clock jumps, lock waits), newest last. */
	readonly notices: readonly string[];
	/** Present only in the fleet view (`sentinel-tui fleet`). */
	readonly fleet?: FleetState;
};

/** What the operator saw when a confirmation opened: the action goes to this job and process. */
export type ManualTarget = {
	readonly jobId: string;
	readonly dir: string;
	readonly pid: number | null;
	readonly processStartMs: number | null;
};

/** The engine as the screen sees it: a store of snapshots and a few commands. */
export type EngineHandle = {
	getSnapshot: () => Snapshot;
	/** Called after every new snapshot; returns the unsubscribe function. */
	subscribe: (listener: () => void) => () => void;
	/** Manual action, checked and audited like an automatic one, with actor `user`. */
	act: (action: Exclude<ActionName, 'notify'>, target: ManualTarget) => Promise<AuditEntry>;
	/** Turn automatic action on or off for this instance (off releases the leader lock). */
	setAuto: (on: boolean) => void;
	/** Pause or resume automatic action on one job, kept in state.json. */
	setPaused: (jobId: string, paused: boolean) => void;
	/** Finish what is in flight (a stop in its grace period, its writes), then stop ticking. */
	stop: () => Promise<void>;
};
