import type {ActionName, AuditEntry, ValidJob} from '../../types.js';
import {AuditLog, auditEntry} from './audit-log.js';
import {pushBounded} from '../bounded-history.js';
import {carryOut, type ActionContext, type ActionOutcome, type ActionRequest} from './carry-out.js';
import {actionRequest, targetChanged} from './action-target.js';
import {actionUnderWay} from './action-lock.js';
import {activeAfterAll} from './active-after-all.js';
import {finishStartedActions} from './finish-started.js';
import type {Interventions} from './interventions.js';
import type {JobState} from '../job-state.js';
import {Backoff} from './backoff.js';
import {Leadership} from './leadership.js';
import {pendingHooks, runHooks} from './notify-hooks.js';
import {Episodes} from '../judge/episodes.js';
import type {PlannedAction} from '../judge/policy.js';
import type {ActorState, ManualTarget} from '../snapshot.js';
import type {RunnerPort} from './runner-port.js';
import {StateStore, stateFile} from './state-store.js';

const hourMs = 3_600_000;
const recentLimit = 100;

/**
 * The sentinel's hands. After each tick it runs the escalation policy for every job and carries
 * out what it plans, in the background so a stop in its grace period never holds up a tick; it
 * acts automatically only while it holds the leader lock. Manual actions go through the same
 * checks and the same audit log.
 */
export class InterventionRunner implements Interventions {
	auto: boolean;
	private readonly leadership: Leadership;
	private readonly store: StateStore;
	private readonly audit: AuditLog;
	private readonly inFlight = new Map<string, Promise<unknown>>();
	private recent: AuditEntry[] = [];
	private stopFollowing: () => void;
	/** Dry runs count among themselves, never in the shared state.json. */
	private dryRunTimes: number[] = [];
	/**
	 * Recover/terminate actions planned but not counted yet, by job directory: they are counted when
	 * they begin, after an await, so without this every job that reaches its tier in one tick would
	 * pass the limit.
	 */
	private readonly reserved = new Map<string, number>();
	/** Jobs whose action failed without doing anything, tried again less and less often. */
	private readonly backoff: Backoff;
	private readonly episodes = new Episodes();

	constructor(private readonly port: RunnerPort) {
		const {config} = port;
		this.auto = config.auto;
		this.leadership = new Leadership(config.jobsDir, message => port.report(message));
		this.backoff = new Backoff(config.intervalMs);
		this.store = new StateStore(stateFile(config.jobsDir), {now: () => port.now(), onProblem: message => port.report(message)});
		this.store.load();
		this.audit = new AuditLog(config.auditLog);
		// Every sentinel's entries, this one's included, reach the screen through the log itself.
		this.stopFollowing = this.audit.follow(
			entry => {
				this.recent = pushBounded(this.recent, entry, recentLimit);
				port.changed();
			},
			{backlog: 50},
		);
	}

	private get wantsLeadership(): boolean {
		return this.auto && !this.port.config.dryRun;
	}

	async afterTick(states: JobState[], now: number): Promise<void> {
		this.store.load();
		if (await this.leadership.update(this.wantsLeadership)) finishStartedActions(this, this.audit, states, (dir, work) => this.track(dir, work), this.port.config.intervalMs);
		const mayPlan = this.leadership.acting || (this.port.config.dryRun && this.auto);
		this.episodes.keepOnly(states);
		for (const state of states) this.planFor(state, now, mayPlan);
	}

	private planFor(state: JobState, now: number, mayPlan: boolean): void {
		const job = state.record;
		if (!job.valid || !state.assessment || this.inFlight.has(job.dir)) return;
		if (this.backoff.waiting(job.dir, now)) return;
		// Not monitored, or ok: no episode, and nothing to plan (as `decide` would say, without
		// counting the hour's interventions once for each of a thousand quiet jobs every tick).
		if (!state.assessment.monitored || state.assessment.severity === 'ok') {
			this.episodes.end(job.dir);
			return;
		}
		const decision = this.episodes.decide(job.dir, {
			severity: state.assessment.severity,
			now,
			paused: this.store.isPaused(job.jobId),
			auto: mayPlan,
			recoveriesLastHour: this.store.recoveriesSince(job.jobId, now - hourMs),
			interventionsLastHour: this.interventionsLastHour(now) + [...this.reserved.values()].reduce((sum, count) => sum + count, 0),
			maxInterventions: this.port.config.maxInterventions,
		});
		if (decision.actions.length === 0) return;
		// Counted from the moment it is planned, so jobs planned in the same tick see each other;
		// the reservation gives way to the real count as soon as the action is counted.
		const reserving = decision.actions.filter(planned => planned.action !== 'notify' && !planned.skipped).length;
		if (reserving > 0) this.reserved.set(job.dir, reserving);
		const work = this.runPlanned(state, job, decision.actions)
			.catch(error => {
				// Whatever broke, the job is not left immune: the failure is audited and tried again later.
				this.failed(job, state, decision.actions, error);
				return true;
			})
			.then(undone => {
				// Nothing began (lock held, manifest changed, the job was active after all): plan again next tick.
				if (undone) this.episodes.restore(job.dir, decision.previous);
			})
			.finally(() => this.reserved.delete(job.dir));
		this.track(job.dir, work);
	}

	/** Resolves true when the tier's action did not begin and should be planned again. */
	private async runPlanned(state: JobState, job: ValidJob, actions: PlannedAction[]): Promise<boolean> {
		for (const planned of actions) {
			if (planned.action === 'notify' || planned.skipped) {
				this.notify(job, state, planned);
				continue;
			}
			if (await activeAfterAll(state)) {
				this.port.reassess(state);
				return true;
			}
			const outcome = await this.execute(actionRequest(state, job, planned.action, planned.reason, 'auto'));
			if (!outcome.done) {
				this.port.report(outcome.backOff ? outcome.why : `${outcome.why}; trying again next tick`, job);
				if (outcome.backOff) this.backoff.failed(job.dir, this.port.now());
				return true;
			}
			// Its manifest could not be written (a full disk): nothing was done, plan it again, less and
			// less often while the write keeps failing, so a lasting fault does not flood the audit log.
			if (outcome.retry) {
				this.port.report(`${job.jobId}: ${planned.action} failed, nothing done: ${outcome.entry.reason}; trying again later`, job);
				this.backoff.failed(job.dir, this.port.now());
				return true;
			}
			this.backoff.succeeded(job.dir);
			// A recovery ends the episode; the job's next status decides what follows.
			if (planned.action === 'recover' && outcome.entry.result !== 'dry-run') this.episodes.end(job.dir);
		}
		return false;
	}

	/** An action that threw: audited as failed (when the log takes it), said, and tried again later. */
	private failed(job: ValidJob, state: JobState, actions: PlannedAction[], error: unknown): void {
		const planned = actions.at(-1);
		const reason = `${planned?.reason ?? 'action'}; failed: ${(error as Error)?.message ?? String(error)}; trying again later`;
		const entry = auditEntry(
			{job_id: job.jobId, action: planned?.action ?? 'notify', actor: 'auto', severity: state.assessment?.severity ?? 'ok', result: 'failed', reason, evidence: state.assessment?.evidence ?? []},
			this.port.now(),
		);
		this.record(entry, job.dir);
		this.backoff.failed(job.dir, this.port.now());
	}

	/** Counts a `started` entry of the audit log (maybe a dead sentinel's) against the hourly limit. */
	countStarted(entry: AuditEntry): void {
		if (entry.action === 'notify' || this.port.config.dryRun) return;
		void this.store.recordIntervention(entry.job_id, entry.action, Date.parse(entry.ts), entry.action_id);
	}

	/** Carry out one recover or terminate; also used to finish a dead sentinel's `started` actions. */
	execute(request: ActionRequest): Promise<ActionOutcome> {
		return carryOut(this.context(), request);
	}

	private context(): ActionContext {
		const {config} = this.port;
		return {
			graceMs: config.graceMs,
			dryRun: config.dryRun,
			evidenceCommand: config.evidenceCommand,
			now: () => this.port.now(),
			record: (entry, dir) => this.record(entry, dir),
			count: (jobId, action, at, actionId, dir) => {
				const left = (this.reserved.get(dir) ?? 0) - 1;
				if (left > 0) this.reserved.set(dir, left);
				else this.reserved.delete(dir);
				if (config.dryRun) this.dryRunTimes.push(at);
				else void this.store.recordIntervention(jobId, action, at, actionId);
			},
			ownWrite: (dir, mtimeMs) => {
				const state = this.port.job(dir);
				if (state) state.ownWriteMtimeMs = mtimeMs;
				// Read our own write now: the next tick must not plan on the status it replaced (the
				// watcher's event may come later, and the stat net runs only every few ticks).
				this.port.reread(dir);
			},
		};
	}

	private notify(job: ValidJob, state: JobState, planned: PlannedAction): void {
		const dryRun = this.port.config.dryRun;
		const result = planned.skipped ? 'skipped' : dryRun ? 'dry-run' : 'ok';
		const entry = auditEntry(
			{job_id: job.jobId, action: planned.action, actor: 'auto', severity: planned.tier, result, reason: planned.skipped ?? planned.reason, evidence: state.assessment?.evidence ?? []},
			this.port.now(),
		);
		this.record(entry, job.dir);
	}

	/**
	 * Flush an entry to the audit log, tell the engine's listeners, and fire the hooks. A `started`
	 * entry that cannot be flushed throws: the action must not begin (SPEC section 5).
	 */
	private record(entry: AuditEntry, dir: string): void {
		try {
			this.audit.append(entry);
		} catch (error) {
			this.port.report(`could not write the audit log ${this.audit.file}: ${(error as Error).message}`);
			if (entry.result === 'started') throw error;
		}
		this.port.intervened({dir, entry});
		const {config} = this.port;
		// Dry runs page nobody; `started` is followed by its result, which is the one worth hearing.
		if (entry.result === 'dry-run' || entry.result === 'started') return;
		if (!config.onIntervention && !config.webhook) return;
		void runHooks({...entry, dir}, {command: config.onIntervention, webhook: config.webhook}).then(results => {
			for (const hook of results) if (!hook.ok) this.port.report(`notify hook failed for ${entry.job_id}: ${hook.message}`);
		});
	}

	async manual(action: Exclude<ActionName, 'notify'>, target: ManualTarget, requestedFrom = 'the dashboard'): Promise<AuditEntry> {
		const state = this.port.job(target.dir);
		const job = state?.record;
		const refuse = (reason: string) => {
			const entry = auditEntry({job_id: target.jobId, action, actor: 'user', severity: state?.assessment?.severity ?? 'ok', result: 'failed', reason, evidence: []}, this.port.now());
			this.record(entry, target.dir);
			return entry;
		};
		if (!state || !job) return refuse('the job is gone');
		if (!job.valid) return refuse(`the job's manifest is invalid: ${job.error}`);
		const changed = targetChanged(state, job, target);
		if (changed) return refuse(changed);
		if (this.inFlight.has(job.dir)) return refuse(actionUnderWay);
		const request = {...actionRequest(state, job, action, `${action} requested from ${requestedFrom}`, 'user'), expectedContentKey: undefined};
		const work = this.execute(request);
		this.track(job.dir, work);
		const outcome = await work;
		if (!outcome.done) return refuse(outcome.why);
		if (action === 'recover') this.episodes.end(job.dir);
		return outcome.entry;
	}

	private track(dir: string, work: Promise<unknown>): void {
		const guarded: Promise<unknown> = work
			.catch(error => this.port.report(`action failed: ${(error as Error)?.message ?? String(error)}`))
			.finally(() => {
				// A later piece of work on the same job may have taken the slot meanwhile.
				if (this.inFlight.get(dir) === guarded) this.inFlight.delete(dir);
			});
		this.inFlight.set(dir, guarded);
	}

	setAuto(on: boolean): void {
		this.auto = on;
		if (!this.wantsLeadership) this.leadership.release();
	}

	setPaused(jobId: string, paused: boolean): Promise<boolean> {
		return this.store.setPaused(jobId, paused);
	}

	isPaused(jobId: string): boolean {
		return this.store.isPaused(jobId);
	}

	actor(): ActorState {
		return this.leadership.actor();
	}

	interventionsLastHour(now: number): number {
		if (this.port.config.dryRun) {
			this.dryRunTimes = this.dryRunTimes.filter(at => at > now - hourMs);
			return this.dryRunTimes.length;
		}
		return this.store.interventionsSince(now - hourMs);
	}

	recentAudit(): AuditEntry[] {
		return this.recent;
	}

	/** Let stops in their grace period and their writes finish; release the lock; stop following. */
	async stop(): Promise<void> {
		await Promise.allSettled([...this.inFlight.values()]);
		await this.store.flush();
		await pendingHooks();
		this.stopFollowing();
		this.leadership.release();
	}
}

export function createInterventions(port: RunnerPort): Interventions {
	return new InterventionRunner(port);
}
