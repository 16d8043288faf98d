import {EventEmitter} from 'node:events';
import fs from 'node:fs';
import type {Config} from '../config/load-config.js';
import type {FileMark} from '../jobs/file-mark.js';
import {JobWatcher} from '../jobs/job-watcher.js';
import type {ActionName, AuditEntry, InvalidJob} from '../types.js';
import {assessJob, type AssessmentOutlet} from './judge/assess-job.js';
import {pushBounded} from './bounded-history.js';
import {ClockWatch, systemClock, type Clock} from './observe/clock-watch.js';
import type {EngineEvents} from './engine-events.js';
import {JobRegistry} from './observe/job-registry.js';
import type {JobState} from './job-state.js';
import {nextSilenceDeadline} from './judge/next-deadline.js';
import {TickTimer} from './tick-timer.js';
import {runnerPortOf} from './engine-port.js';
import {sampleJobs} from './observe/sample-jobs.js';
import {firstSettleWaitMs, SettleChecks} from './observe/settle-checks.js';
import {OutputFollower} from './observe/output-follower.js';
import {Sampler} from './observe/sampler.js';
import {DiagnosisReader} from './observe/diagnosis-reader.js';
import {makeSnapshot} from './make-snapshot.js';
import type {EngineHandle, ManualTarget, Snapshot} from './snapshot.js';
import type {Interventions} from './act/interventions.js';
import type {RunnerPort} from './act/runner-port.js';

export type EngineOptions = {
	clock?: Clock;
	/** Watch files for changes (off for one-shot `status`). */
	watch?: boolean;
	/** Acts on the jobs (given for dashboard and headless; absent for `status`), through the engine's port. */
	interventions?: (port: RunnerPort) => Interventions;
	/** Poll instead of watching (network file systems). */
	forcePolling?: boolean;
};

/** On the first look at a big jobs directory, how many jobs are shown before the rest are read: a tall terminal's screenful. */
const earlyJobs = 60;
/** How often, in ticks, the jobs directory is listed and every manifest stat'ed again behind the watcher's back. */
const rediscoverEveryTicks = 5;
/** Snapshots made for file events are coalesced to at most one per this many ms. */
const publishDelayMs = 10;

/**
 * The sentinel's engine: no React in it. It keeps the jobs, samples their trees once per tick,
 * assesses them, lets the interventions act, and publishes an immutable snapshot after each tick
 * and after file events: made then while anyone listens (the dashboard), else when first asked
 * for (the headless mode never asks). A slow tick never overlaps the next: the next is timed from
 * its end.
 */
export class Engine extends EventEmitter<EngineEvents> implements EngineHandle {
	readonly registry: JobRegistry;
	readonly clock: Clock;
	tickCount = 0;
	/** Ticks that began while another was still running: always 0, kept for tests. */
	overlaps = 0;
	/** The snapshot of the last publish: null until asked for when nobody listened. */
	private snapshot: Snapshot | null = null;
	private readonly sampler = new Sampler();
	/** Reads what the processes of silent jobs wait on (SPEC section 12). */
	private readonly diagnosis = new DiagnosisReader();
	/** Reads what jobs write (SPEC section 11); null with --no-loop-detection, when every write is activity. */
	private readonly output: OutputFollower | null;
	private readonly clockWatch: ClockWatch;
	private watcher: JobWatcher | null = null;
	private jobsDirExists = false;
	private readonly timer: TickTimer;
	private publishTimer: NodeJS.Timeout | null = null;
	/** Changed manifests are read again while they move or read half-written. */
	private readonly settling = new SettleChecks((dir, waitMs) => {
		if (this.registry.unsettled(dir)) this.manifestChanged(dir, waitMs);
	});
	private ticking = false;
	private stopped = false;
	private stopping: Promise<void> | null = null;
	private notices: string[] = [];
	readonly interventions: Interventions | null;

	constructor(
		readonly config: Config,
		private readonly options: EngineOptions = {},
	) {
		super();
		this.clock = options.clock ?? systemClock;
		this.output = config.loopDetection ? new OutputFollower(config.intervalMs, (message, job) => this.report(message, job)) : null;
		this.clockWatch = new ClockWatch(this.clock, Math.max(5000, config.intervalMs * 2));
		this.registry = new JobRegistry(config.jobsDir, this.registryListener, Math.max(1000, config.intervalMs * 1.5), () => this.clock.now());
		this.timer = new TickTimer(this.clock, config.intervalMs, () => this.tick(), () => nextSilenceDeadline(this.registry.states.values()));
		this.interventions = options.interventions?.(runnerPortOf(this)) ?? null;
	}

	/** Find the jobs, take the first tick, and keep ticking every interval until stop(). */
	async start(): Promise<void> {
		await this.tick();
		this.timer.schedule();
	}

	getSnapshot = (): Snapshot => (this.snapshot ??= this.buildSnapshot());

	subscribe = (listener: () => void): (() => void) => {
		this.on('snapshot', listener);
		return () => this.off('snapshot', listener);
	};

	act = async (action: Exclude<ActionName, 'notify'>, target: ManualTarget, requestedFrom?: string): Promise<AuditEntry> => {
		if (!this.interventions) throw new Error('this sentinel cannot act');
		const entry = await this.interventions.manual(action, target, requestedFrom);
		this.publishSoon();
		return entry;
	};

	setAuto = (on: boolean): void => {
		this.interventions?.setAuto(on);
		this.publishSoon();
	};

	/** Resolves true once state.json holds the change (false: not written, or this engine cannot act). */
	setPaused = async (jobId: string, paused: boolean): Promise<boolean> => {
		const written = this.interventions?.setPaused(jobId, paused) ?? Promise.resolve(false);
		this.publishSoon();
		return written;
	};

	/** Stop ticking and let in-flight actions finish; every caller waits for the same stop. */
	stop(): Promise<void> {
		this.stopping ??= this.shutDown();
		return this.stopping;
	}

	private async shutDown(): Promise<void> {
		this.stopped = true;
		this.timer.stop();
		if (this.publishTimer) clearTimeout(this.publishTimer);
		this.settling.stop();
		await this.watcher?.close();
		await this.interventions?.stop();
		this.output?.close();
	}

	/** Say something worth a line on screen and a headless `error` line; never throws, never ends a command. */
	report(message: string, job?: {jobId: string; dir: string}): void {
		this.notices = pushBounded(this.notices, message, 5);
		this.emit('notice', {message, ...job});
	}

	/** One pass: discover, sample every tree, assess, act, publish. */
	async tick(): Promise<void> {
		if (this.ticking) {
			this.overlaps++;
			return;
		}
		this.ticking = true;
		this.timer.began();
		const began = this.clock.monotonic();
		try {
			await this.observeWorld();
			// The jobs' logs folders are looked at now, not watched: what changed is read just below.
			this.watcher?.lookAtPolled();
			const now = this.clock.now();
			this.output?.follow(this.registry.states, now, this.tickCount % rediscoverEveryTicks === 0);
			sampleJobs(this.sampler, this.registry.states, now, this.config.cpuSamples);
			if (this.sampler.mode === 'procfs') this.diagnosis.observe(this.registry.states, now, this.config);
			this.timer.sampled();
			// A loop, not forEach with an arrow made each tick: V8 holds such an arrow's compiled code
			// (every assessment, inlined) weakly, and compiled it again after every full collection.
			for (const state of this.registry.states.values()) this.assessJob(state, now, true);
			await this.interventions?.afterTick([...this.registry.states.values()], now);
			this.tickCount++;
			this.publish();
		} catch (error) {
			this.report(`tick failed: ${(error as Error)?.message ?? String(error)}`);
		} finally {
			this.ticking = false;
			this.emit('tick', this.clock.monotonic() - began);
		}
	}

	/** Re-assess one job now, without sampling (after a manifest change or an action). */
	reassess(state: JobState): void {
		this.assessJob(state, this.clock.now());
		this.publishSoon();
	}

	private async observeWorld(): Promise<void> {
		const jump = this.clockWatch.check();
		if (jump !== 0) {
			const now = this.clock.now();
			for (const state of this.registry.states.values()) state.activityFloorMs = now;
			this.report(`the clock jumped ${Math.round(jump / 1000)} s (suspend or clock step): silence restarted for every job`);
		}
		const existed = this.jobsDirExists;
		this.jobsDirExists = fs.existsSync(this.config.jobsDir);
		if (!this.jobsDirExists) return;
		if (!existed || this.tickCount % rediscoverEveryTicks === 0) {
			// The first look at a big directory draws its first jobs (assessed on silence, as each
			// job is on arrival) before reading the rest; the screen says it is still starting.
			await this.registry.discover(existed ? undefined : {after: earlyJobs, show: () => this.publish()});
			this.watcher?.setExtraDirs(this.registry.indexedDirs);
		}
		// The net under the watcher: every tick without one (or polling), else with the listing.
		if (!this.watcher || this.watcher.mode === 'poll' || this.tickCount % rediscoverEveryTicks === 0) await this.registry.refreshChanged();
		// After the jobs are read, not before: setting the watches of 1,000 directories takes the same
		// thread a while, and the first snapshot should not wait for it. A manifest that changes
		// meanwhile is caught by the stat net.
		if (!this.watcher && this.options.watch !== false) this.startWatcher();
	}

	private startWatcher(): void {
		this.watcher = new JobWatcher(
			this.config.jobsDir,
			{
				manifestChanged: dir => this.manifestChanged(dir),
				manifestRemoved: dir => void this.registry.reload(dir).then(() => this.publishSoon()),
				activity: (dir, mtimeMs, relative, mark) => this.recordActivity(dir, mtimeMs, relative, mark),
				indexChanged: () => void this.registry.discover().then(() => this.watcher?.setExtraDirs(this.registry.indexedDirs)),
				modeChanged: (_mode, reason) => this.report(reason),
				error: message => this.report(message),
				ready: () => void this.registry.discover().then(() => this.publishSoon()),
			},
			this.config.intervalMs,
			this.options.forcePolling,
		);
		this.watcher.setExtraDirs(this.registry.indexedDirs);
		this.watcher.start();
	}

	/** Read a changed manifest, and look at it again once its writes settle (SettleChecks). */
	private manifestChanged(dir: string, waitMs = firstSettleWaitMs): void {
		void this.registry.reload(dir).then(() => {
			this.afterManifestChange(dir);
			this.settling.schedule(dir, waitMs);
		});
	}

	private afterManifestChange(dir: string): void {
		const state = this.registry.states.get(dir);
		if (state) this.reassess(state);
	}

	private recordActivity(dir: string, mtimeMs: number, relative: string, mark?: FileMark): void {
		const state = this.registry.states.get(dir);
		// An output file's write is read and judged on the next tick, not taken as activity.
		if (!state || this.output?.heard(state, relative, mark)) return;
		if (mtimeMs === state.ownWriteMtimeMs) return;
		// A file stamped in the future counts as written now.
		const at = Math.min(mtimeMs, this.clock.now());
		if (state.fileActivityMs === null || at > state.fileActivityMs) state.fileActivityMs = at;
	}

	private assessJob(state: JobState, now: number, tick = false): void {
		assessJob(state, now, this.config, this.assessmentOutlet, tick);
		if (state.record.valid && state.record.pid !== null && state.sample === null) this.timer.sampleSoon();
	}

	private readonly assessmentOutlet: AssessmentOutlet = {
		report: (message, job) => this.report(message, job),
		changed: change => this.emit('assessment', change),
	};

	private readonly registryListener = {
		added: (state: JobState) => {
			this.output?.attach(state);
			this.emit('job.added', state.record);
			this.assessJob(state, this.clock.now());
		},
		removed: (state: JobState) => {
			this.emit('job.removed', {jobId: state.record.jobId, dir: state.record.dir});
		},
		becameInvalid: (job: InvalidJob) => {
			this.emit('job.invalid', job);
		},
		error: (message: string, dir?: string) => this.report(message, dir ? {jobId: dir, dir} : undefined),
	};

	/** Publish soon, coalescing bursts of file events into one snapshot. */
	publishSoon(): void {
		if (this.publishTimer || this.stopped) return;
		this.publishTimer = setTimeout(() => {
			this.publishTimer = null;
			this.publish();
		}, publishDelayMs);
	}

	private publish(): void {
		this.snapshot = this.listenerCount('snapshot') > 0 ? this.buildSnapshot() : null;
		this.emit('snapshot');
	}

	private buildSnapshot(): Snapshot {
		return makeSnapshot({
			now: this.clock.now(),
			tick: this.tickCount,
			config: this.config,
			jobsDirExists: this.jobsDirExists,
			states: this.registry?.states ?? new Map(),
			interventions: this.interventions ?? null,
			watchMode: this.watcher?.mode ?? 'watch',
			notices: this.notices,
		});
	}
}
