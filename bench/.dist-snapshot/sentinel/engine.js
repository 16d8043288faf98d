import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { JobWatcher } from '../jobs/job-watcher.js';
import { assess } from './assess.js';
import { pushBounded } from './bounded-history.js';
import { ClockWatch, systemClock } from './clock-watch.js';
import { JobRegistry } from './job-registry.js';
import { historyLength } from './job-state.js';
import { lastActivity } from './last-activity.js';
import { Sampler } from './sampler.js';
import { makeSnapshot } from './make-snapshot.js';
/** How often, in ticks, the jobs directory is listed again behind the watcher's back. */
const rediscoverEveryTicks = 5;
/** Snapshots made for file events are coalesced to at most one per this many ms. */
const publishDelayMs = 30;
/**
 * The sentinel's engine: no React in it. It keeps the jobs, samples their trees once per tick,
 * assesses them, lets the interventions act, and publishes an immutable snapshot after each tick
 * and after file events. A slow tick never overlaps the next: the next is timed from its end.
 */
export class Engine extends EventEmitter {
    config;
    options;
    registry;
    clock;
    tickCount = 0;
    /** Ticks that began while another was still running: always 0, kept for tests. */
    overlaps = 0;
    snapshot;
    sampler = new Sampler();
    clockWatch;
    watcher = null;
    jobsDirExists = false;
    timer = null;
    publishTimer = null;
    ticking = false;
    stopped = false;
    notices = [];
    interventions;
    constructor(config, options = {}) {
        super();
        this.config = config;
        this.options = options;
        this.clock = options.clock ?? systemClock;
        this.clockWatch = new ClockWatch(this.clock, Math.max(5000, config.intervalMs * 2));
        this.registry = new JobRegistry(config.jobsDir, this.registryListener, Math.max(1000, config.intervalMs * 1.5), () => this.clock.now());
        this.interventions = options.interventions?.(this) ?? null;
        this.snapshot = this.buildSnapshot();
    }
    /** Find the jobs, take the first tick, and keep ticking every interval until stop(). */
    async start() {
        await this.tick();
        this.schedule();
    }
    getSnapshot = () => this.snapshot;
    subscribe = (listener) => {
        this.on('snapshot', listener);
        return () => this.off('snapshot', listener);
    };
    act = async (action, target) => {
        if (!this.interventions)
            throw new Error('this sentinel cannot act');
        const entry = await this.interventions.manual(action, target);
        this.publishSoon();
        return entry;
    };
    setAuto = (on) => {
        this.interventions?.setAuto(on);
        this.publishSoon();
    };
    setPaused = (jobId, paused) => {
        this.interventions?.setPaused(jobId, paused);
        this.publishSoon();
    };
    async stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        if (this.publishTimer)
            clearTimeout(this.publishTimer);
        await this.watcher?.close();
        await this.interventions?.stop();
    }
    /** Say something worth a line on screen and an `error` event. */
    report(message, job) {
        this.notices = pushBounded(this.notices, message, 5);
        this.emit('error', { message, ...job });
    }
    /** One pass: discover, sample every tree, assess, act, publish. */
    async tick() {
        if (this.ticking) {
            this.overlaps++;
            return;
        }
        this.ticking = true;
        try {
            await this.observeWorld();
            const now = this.clock.now();
            this.sampleTrees(now);
            for (const state of this.registry.states.values())
                this.assessJob(state, now);
            await this.interventions?.afterTick([...this.registry.states.values()], now);
            this.tickCount++;
            this.publish();
        }
        catch (error) {
            this.report(`tick failed: ${error.stack ?? String(error)}`);
        }
        finally {
            this.ticking = false;
        }
    }
    /** Re-assess one job now, without sampling (after a manifest change or an action). */
    reassess(state) {
        this.assessJob(state, this.clock.now());
        this.publishSoon();
    }
    schedule() {
        if (this.stopped)
            return;
        this.timer = setTimeout(async () => {
            await this.tick();
            this.schedule();
        }, this.config.intervalMs);
        this.timer.unref?.();
    }
    async observeWorld() {
        const jump = this.clockWatch.check();
        if (jump !== 0) {
            const now = this.clock.now();
            for (const state of this.registry.states.values())
                state.activityFloorMs = now;
            this.report(`the clock jumped ${Math.round(jump / 1000)} s (suspend or clock step): silence restarted for every job`);
        }
        const existed = this.jobsDirExists;
        this.jobsDirExists = fs.existsSync(this.config.jobsDir);
        if (!this.jobsDirExists)
            return;
        if (!existed && this.options.watch !== false)
            this.startWatcher();
        if (!existed || this.tickCount % rediscoverEveryTicks === 0) {
            await this.registry.discover();
            this.watcher?.setExtraDirs(this.registry.indexedDirs);
        }
        await this.registry.refreshChanged();
    }
    startWatcher() {
        this.watcher = new JobWatcher(this.config.jobsDir, {
            manifestChanged: dir => void this.registry.reload(dir).then(() => this.afterManifestChange(dir)),
            manifestRemoved: dir => void this.registry.reload(dir).then(() => this.publishSoon()),
            activity: (dir, mtimeMs) => this.recordActivity(dir, mtimeMs),
            indexChanged: () => void this.registry.discover().then(() => this.watcher?.setExtraDirs(this.registry.indexedDirs)),
            modeChanged: (_mode, reason) => this.report(reason),
            error: message => this.report(message),
        }, this.config.intervalMs, this.options.forcePolling);
        this.watcher.start();
    }
    afterManifestChange(dir) {
        const state = this.registry.states.get(dir);
        if (state)
            this.reassess(state);
    }
    recordActivity(dir, mtimeMs) {
        const state = this.registry.states.get(dir);
        if (!state)
            return;
        if (mtimeMs === state.ownWriteMtimeMs)
            return;
        // A file stamped in the future counts as written now.
        const at = Math.min(mtimeMs, this.clock.now());
        if (state.fileActivityMs === null || at > state.fileActivityMs)
            state.fileActivityMs = at;
    }
    sampleTrees(now) {
        const targets = [];
        for (const [dir, state] of this.registry.states) {
            const job = state.record;
            if (!job.valid || job.pid === null) {
                state.sample = null;
                continue;
            }
            state.firstSeenPid ??= { pid: job.pid, manifestMtimeMs: job.manifestMtimeMs, at: now };
            targets.push({ key: dir, pid: job.pid, processStartMs: job.processStartMs, notAfterMs: state.firstSeenPid.manifestMtimeMs, ownerUid: job.ownerUid });
        }
        const samples = this.sampler.sample(targets);
        for (const [dir, state] of this.registry.states) {
            const sample = samples.get(dir) ?? null;
            if (!sample)
                continue;
            state.sample = sample;
            if (sample.cpuTrusted && !sample.lost)
                state.cpuHistory = pushBounded(state.cpuHistory, sample.cpuPercent, historyLength);
            else if (sample.lost)
                state.cpuHistory = [];
            state.cpuSpark = pushBounded(state.cpuSpark, sample.cpuPercent, historyLength);
            state.rssSpark = pushBounded(state.rssSpark, sample.rssBytes, historyLength);
        }
    }
    assessJob(state, now) {
        const job = state.record;
        if (!job.valid) {
            state.assessment = null;
            return;
        }
        const activity = lastActivity(state, job, now);
        state.lastActivityMs = activity.ms;
        if (activity.futureStamp)
            this.report(`${job.jobId}: activity stamp ${new Date(activity.futureStamp).toISOString()} is in the future; counted from when it was first seen`, job);
        state.assessment = assess(job, { lastActivityMs: activity.ms, sample: state.sample, cpuHistory: state.cpuHistory }, this.config, now);
        this.reportSeverity(state, job);
    }
    reportSeverity(state, job) {
        const severity = state.assessment?.severity ?? 'ok';
        if (state.reportedSeverity === severity)
            return;
        const previousSeverity = state.reportedSeverity;
        state.reportedSeverity = severity;
        this.emit('assessment', { jobId: job.jobId, dir: job.dir, severity, previousSeverity, evidence: state.assessment?.evidence ?? [] });
    }
    registryListener = {
        added: (state) => {
            this.emit('job.added', state.record);
            this.assessJob(state, this.clock.now());
        },
        removed: (state) => {
            this.emit('job.removed', { jobId: state.record.jobId, dir: state.record.dir });
        },
        becameInvalid: (job) => {
            this.emit('job.invalid', job);
        },
        error: (message, dir) => this.report(message, dir ? { jobId: dir, dir } : undefined),
    };
    /** Publish soon, coalescing bursts of file events into one snapshot. */
    publishSoon() {
        if (this.publishTimer || this.stopped)
            return;
        this.publishTimer = setTimeout(() => {
            this.publishTimer = null;
            this.publish();
        }, publishDelayMs);
    }
    publish() {
        this.snapshot = this.buildSnapshot();
        this.emit('snapshot');
    }
    buildSnapshot() {
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
