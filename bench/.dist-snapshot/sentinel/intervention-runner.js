import { latestFileActivity } from '../jobs/activity-files.js';
import { AuditLog, auditEntry, thisSentinel } from './audit-log.js';
import { pushBounded } from './bounded-history.js';
import { carryOut } from './carry-out.js';
import { finishStartedActions } from './finish-started.js';
import { LeaderLock } from './leader-lock.js';
import { pendingHooks, runHooks } from './notify-hooks.js';
import { decide } from './policy.js';
import { StateStore, stateFile } from './state-store.js';
const hourMs = 3_600_000;
const recentLimit = 100;
/**
 * The sentinel's hands. After each tick it runs the escalation policy for every job and carries
 * out what it plans, in the background so a stop in its grace period never holds up a tick; it
 * acts automatically only while it holds the leader lock. Manual actions go through the same
 * checks and the same audit log.
 */
export class InterventionRunner {
    engine;
    auto;
    acting = false;
    leader;
    store;
    audit;
    inFlight = new Map();
    recent = [];
    stopFollowing;
    /** Dry runs count among themselves, never in the shared state.json. */
    dryRunTimes = [];
    /**
     * Recover/terminate actions planned but not counted yet: they are counted when they begin, after
     * an await, so without this every job that reaches its tier in one tick would pass the limit.
     */
    reserved = 0;
    constructor(engine) {
        this.engine = engine;
        const { config } = engine;
        this.auto = config.auto;
        this.leader = new LeaderLock(config.jobsDir);
        this.store = new StateStore(stateFile(config.jobsDir), { now: () => engine.clock.now(), onProblem: message => engine.report(message) });
        this.store.load();
        this.audit = new AuditLog(config.auditLog);
        // Every sentinel's entries, this one's included, reach the screen through the log itself.
        this.stopFollowing = this.audit.follow(entry => {
            this.recent = pushBounded(this.recent, entry, recentLimit);
            engine.publishSoon();
        }, { backlog: 50 });
    }
    get wantsLeadership() {
        return this.auto && !this.engine.config.dryRun;
    }
    async afterTick(states, now) {
        this.store.load();
        if (this.wantsLeadership && !this.leader.held) {
            if (await this.leader.tryAcquire())
                finishStartedActions(this, this.audit, states, (dir, work) => this.track(dir, work));
        }
        else if (!this.wantsLeadership && this.leader.held) {
            this.leader.release();
        }
        this.acting = this.leader.held;
        const mayPlan = this.acting || (this.engine.config.dryRun && this.auto);
        for (const state of states)
            this.planFor(state, now, mayPlan);
    }
    planFor(state, now, mayPlan) {
        const job = state.record;
        if (!job.valid || !state.assessment || this.inFlight.has(job.dir))
            return;
        if (!state.assessment.monitored) {
            state.episode = null;
            return;
        }
        const previous = state.episode;
        const decision = decide({
            severity: state.assessment.severity,
            previous,
            now,
            paused: this.store.isPaused(job.jobId),
            auto: mayPlan,
            recoveriesLastHour: this.store.recoveriesSince(job.jobId, now - hourMs),
            interventionsLastHour: this.interventionsLastHour(now) + this.reserved,
            maxInterventions: this.engine.config.maxInterventions,
        });
        state.episode = decision.episode;
        if (decision.actions.length === 0)
            return;
        const reserving = decision.actions.filter(planned => planned.action !== 'notify' && !planned.skipped).length;
        this.reserved += reserving;
        const work = this.runPlanned(state, job, decision.actions)
            .then(undone => {
            // Nothing began (lock held, manifest changed, the job was active after all): plan again next tick.
            if (undone)
                state.episode = previous;
        })
            .finally(() => {
            // By now a begun action is in the counts it was reserved for.
            this.reserved -= reserving;
        });
        this.track(job.dir, work);
    }
    /** Resolves true when the tier's action did not begin and should be planned again. */
    async runPlanned(state, job, actions) {
        for (const planned of actions) {
            if (planned.action === 'notify' || planned.skipped) {
                this.notify(job, state, planned);
                continue;
            }
            if (await this.activeAfterAll(state, job))
                return true;
            const outcome = await this.execute(this.requestFor(state, job, planned.action, planned.reason, 'auto'));
            if (!outcome.done) {
                this.engine.report(outcome.why, job);
                return true;
            }
            // A recovery ends the episode; the job's next status decides what follows.
            if (planned.action === 'recover' && outcome.entry.result !== 'dry-run')
                state.episode = null;
        }
        return false;
    }
    /** Fresh stat of the job's files right before acting on silence: a job that is active is not touched. */
    async activeAfterAll(state, job) {
        const evidence = state.assessment?.evidence ?? [];
        const severity = state.assessment?.severity ?? 'ok';
        const silenceDriven = evidence.some(signal => (signal.name === 'silence' || signal.name === 'busy') && signal.severity === severity);
        const otherwiseDriven = evidence.some(signal => (signal.name === 'memory' || signal.name === 'process') && signal.severity === severity);
        if (!silenceDriven || otherwiseDriven)
            return false;
        const latest = await latestFileActivity(job.dir, state.ownWriteMtimeMs);
        if (latest === null || state.lastActivityMs === null || latest <= state.lastActivityMs)
            return false;
        state.fileActivityMs = Math.max(state.fileActivityMs ?? 0, latest);
        this.engine.reassess(state);
        return true;
    }
    requestFor(state, job, action, reason, actor) {
        const lost = state.sample?.lost ?? null;
        const expected = job.pid === null || lost
            ? null
            : { pid: job.pid, processStartMs: job.processStartMs, notAfterMs: state.firstSeenPid?.manifestMtimeMs ?? job.manifestMtimeMs, ownerUid: job.ownerUid };
        return {
            action,
            actor,
            job,
            severity: state.assessment?.severity ?? 'ok',
            evidence: state.assessment?.evidence ?? [],
            reason,
            expected,
            noProcessReason: job.pid === null ? 'the job names no pid' : lost ? `process lost (${lost})` : undefined,
            expectedContentKey: job.contentKey,
            counted: actor === 'auto',
        };
    }
    /** Carry out one recover or terminate; also used to finish a dead sentinel's `started` actions. */
    execute(request) {
        return carryOut(this.context(), request);
    }
    context() {
        const { config } = this.engine;
        return {
            graceMs: config.graceMs,
            dryRun: config.dryRun,
            now: () => this.engine.clock.now(),
            record: (entry, dir) => this.record(entry, dir),
            count: (jobId, action, at, actionId) => {
                if (config.dryRun)
                    this.dryRunTimes.push(at);
                else
                    void this.store.recordIntervention(jobId, action, at, actionId);
            },
            ownWrite: (dir, mtimeMs) => {
                const state = this.engine.registry.states.get(dir);
                if (state)
                    state.ownWriteMtimeMs = mtimeMs;
            },
        };
    }
    notify(job, state, planned) {
        const dryRun = this.engine.config.dryRun;
        const result = planned.skipped ? 'skipped' : dryRun ? 'dry-run' : 'ok';
        const entry = auditEntry({ job_id: job.jobId, action: planned.action, actor: 'auto', severity: planned.tier, result, reason: planned.skipped ?? planned.reason, evidence: state.assessment?.evidence ?? [] }, this.engine.clock.now());
        this.record(entry, job.dir);
    }
    /** Flush an entry to the audit log, tell the engine's listeners, and fire the hooks. */
    record(entry, dir) {
        try {
            this.audit.append(entry);
        }
        catch (error) {
            this.engine.report(`could not write the audit log ${this.audit.file}: ${error.message}`);
        }
        this.engine.emit('intervention', { dir, entry });
        const { config } = this.engine;
        // Dry runs page nobody; `started` is followed by its result, which is the one worth hearing.
        if (entry.result === 'dry-run' || entry.result === 'started')
            return;
        if (!config.onIntervention && !config.webhook)
            return;
        void runHooks({ ...entry, dir }, { command: config.onIntervention, webhook: config.webhook }).then(results => {
            for (const hook of results)
                if (!hook.ok)
                    this.engine.report(`notify hook failed for ${entry.job_id}: ${hook.message}`);
        });
    }
    async manual(action, target) {
        const state = this.engine.registry.states.get(target.dir);
        const job = state?.record;
        const refuse = (reason) => {
            const entry = auditEntry({ job_id: target.jobId, action, actor: 'user', severity: state?.assessment?.severity ?? 'ok', result: 'failed', reason, evidence: [] }, this.engine.clock.now());
            this.record(entry, target.dir);
            return entry;
        };
        if (!state || !job)
            return refuse('the job is gone');
        if (!job.valid)
            return refuse(`the job's manifest is invalid: ${job.error}`);
        if (job.pid !== target.pid || job.processStartMs !== target.processStartMs)
            return refuse(`the job's process changed since the confirmation (pid ${target.pid} -> ${job.pid}); nothing done`);
        if (this.inFlight.has(job.dir))
            return refuse('an action on this job is already under way');
        const request = { ...this.requestFor(state, job, action, `${action} requested from the dashboard`, 'user'), expectedContentKey: undefined };
        const work = this.execute(request);
        this.track(job.dir, work);
        const outcome = await work;
        if (!outcome.done)
            return refuse(outcome.why);
        if (action === 'recover')
            state.episode = null;
        return outcome.entry;
    }
    track(dir, work) {
        const guarded = work
            .catch(error => this.engine.report(`action failed: ${error.stack ?? String(error)}`))
            .finally(() => {
            // A later piece of work on the same job may have taken the slot meanwhile.
            if (this.inFlight.get(dir) === guarded)
                this.inFlight.delete(dir);
        });
        this.inFlight.set(dir, guarded);
    }
    setAuto(on) {
        this.auto = on;
        if (!this.wantsLeadership && this.leader.held)
            this.leader.release();
        this.acting = this.leader.held;
    }
    setPaused(jobId, paused) {
        void this.store.setPaused(jobId, paused);
    }
    isPaused(jobId) {
        return this.store.isPaused(jobId);
    }
    actor() {
        return { acting: this.acting, leader: this.acting ? thisSentinel : this.leader.holder() };
    }
    interventionsLastHour(now) {
        if (this.engine.config.dryRun) {
            this.dryRunTimes = this.dryRunTimes.filter(at => at > now - hourMs);
            return this.dryRunTimes.length;
        }
        return this.store.interventionsSince(now - hourMs);
    }
    recentAudit() {
        return this.recent;
    }
    /** Let stops in their grace period and their writes finish; release the lock; stop following. */
    async stop() {
        await Promise.allSettled([...this.inFlight.values()]);
        await this.store.flush();
        await pendingHooks();
        this.stopFollowing();
        if (this.leader.held)
            this.leader.release();
    }
}
export function createInterventions(engine) {
    return new InterventionRunner(engine);
}
