import type {EngineHandle, JobView, ManualTarget, Snapshot} from '../../source/sentinel/snapshot.js';
import type {ActionName, Assessment, AuditEntry, Diagnosis, InvalidJob, Severity, TreeSample, ValidJob} from '../../source/types.js';

/** A fixed moment for snapshots, so silence and uptime read the same in every run. */
export const now = Date.parse('2025-03-01T12:00:00Z');

const thresholds: Assessment['thresholds'] = {
	role: 'worker',
	roleTimeoutMs: 30 * 60_000,
	criticalTimeoutMs: 60 * 60_000,
	memoryLimitBytes: 1024 * 2 ** 20,
	cpuLimitPercent: 95,
	cpuSamples: 5,
};

export type JobSpec = {
	id: string;
	severity?: Severity;
	silenceMs?: number;
	status?: string;
	pid?: number | null;
	description?: string;
	command?: string | null;
	cpu?: number;
	rss?: number;
	cpuHistory?: number[];
	rssHistory?: number[];
	paused?: boolean;
	startedMs?: number | null;
	sample?: TreeSample | null;
	/** What its processes are doing; none by default. */
	diagnosis?: Diagnosis | null;
	/** The job directory; `/jobs/<id>` by default. */
	dir?: string;
};

/** A valid job's view, with an assessment and (when it has a pid) a one-process sample. */
export function makeJob(spec: JobSpec): JobView {
	const dir = spec.dir ?? `/jobs/${spec.id}`;
	const pid = spec.pid === undefined ? 4242 : spec.pid;
	const job: ValidJob = {
		jobId: spec.id,
		dir,
		manifestPath: `${dir}/job_manifest.json`,
		valid: true,
		status: spec.status ?? 'RUNNING',
		role: 'worker',
		pid,
		processStartMs: null,
		description: spec.description ?? `job ${spec.id}`,
		command: spec.command === undefined ? 'python train.py' : spec.command,
		latestStampMs: null,
		overrides: {},
		manifestMtimeMs: now - 3_600_000,
		ownerUid: 1000,
		ownerGid: 1000,
		contentKey: spec.id,
	};
	const severity = spec.severity ?? 'ok';
	const silenceMs = spec.silenceMs ?? 60_000;
	const sample: TreeSample | null =
		spec.sample !== undefined
			? spec.sample
			: pid === null
				? null
				: {
						at: now,
						rootPid: pid,
						processes: [{pid, ppid: 1, pgid: pid, sid: pid, state: 'S', startTimeMs: now - 7_200_000, cpuTimeMs: 1000, rssBytes: spec.rss ?? 100 * 2 ** 20, name: 'python', cpuPercent: spec.cpu ?? 5}],
						cpuPercent: spec.cpu ?? 5,
						cpuTrusted: true,
						rssBytes: spec.rss ?? 100 * 2 ** 20,
						lost: null,
					};
	const evidence = severity === 'ok' ? [] : [{name: 'silence' as const, severity, value: silenceMs, threshold: 30 * 60_000, message: `silent for ${Math.round(silenceMs / 60_000)}m`}];
	return {
		job,
		sample,
		assessment: {severity, monitored: true, silenceMs, thresholds, evidence, diagnosis: spec.diagnosis ?? null},
		severity,
		lastActivityMs: now - silenceMs,
		cpuHistory: spec.cpuHistory ?? [],
		rssHistory: spec.rssHistory ?? [],
		paused: spec.paused ?? false,
		startedMs: spec.startedMs === undefined ? now - 7_200_000 : spec.startedMs,
	};
}

/** An invalid job's view: shown with its reason, never acted on. */
export function makeInvalidJob(id: string, error: string): JobView {
	const dir = `/jobs/${id}`;
	const job: InvalidJob = {jobId: id, dir, manifestPath: `${dir}/job_manifest.json`, valid: false, error};
	return {job, sample: null, assessment: null, severity: 'ok', lastActivityMs: null, cpuHistory: [], rssHistory: [], paused: false, startedMs: null};
}

/** A snapshot with sensible defaults. */
export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
	return {
		generatedAt: now,
		tick: 1,
		jobsDir: '/jobs',
		jobsDirExists: true,
		jobs: [],
		auto: true,
		dryRun: false,
		actor: {acting: true, leader: {pid: process.pid, host: 'testhost'}, problem: null},
		interventionsLastHour: 0,
		maxInterventions: 5,
		recentAudit: [],
		watchMode: 'watch',
		notices: [],
		...overrides,
	};
}

/** An audit entry as the engine would return it. */
export function makeAudit(overrides: Partial<AuditEntry> = {}): AuditEntry {
	return {
		ts: new Date(now).toISOString(),
		job_id: 'job-a',
		action: 'terminate',
		actor: 'user',
		severity: 'high',
		result: 'ok',
		action_id: 'a1',
		reason: 'operator asked',
		evidence: [],
		pids: {signalled: [], killed: []},
		sentinel: {pid: process.pid, host: 'testhost'},
		...overrides,
	};
}

/** A stand-in for the engine: a snapshot the test replaces, and a record of every command. */
export type FakeEngine = EngineHandle & {
	setSnapshot: (next: Snapshot) => void;
	acts: Array<{action: Exclude<ActionName, 'notify'>; target: ManualTarget}>;
	autos: boolean[];
	pauses: Array<{jobId: string; paused: boolean}>;
	stops: number;
	listenerCount: () => number;
};

export function makeFakeEngine(initial: Snapshot, actResult?: (target: ManualTarget) => AuditEntry): FakeEngine {
	let snapshot = initial;
	const listeners = new Set<() => void>();
	const engine: FakeEngine = {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async act(action, target) {
			engine.acts.push({action, target});
			return actResult?.(target) ?? makeAudit({job_id: target.jobId, action, result: 'ok', reason: 'stopped 1 process'});
		},
		setAuto(on) {
			engine.autos.push(on);
		},
		setPaused(jobId, paused) {
			engine.pauses.push({jobId, paused});
		},
		async stop() {
			engine.stops++;
		},
		setSnapshot(next) {
			snapshot = next;
			for (const listener of listeners) listener();
		},
		acts: [],
		autos: [],
		pauses: [],
		stops: 0,
		listenerCount: () => listeners.size,
	};
	return engine;
}
