import fs from 'node:fs';
import {updateManifest} from '../../jobs/update-manifest.js';
import type {Actor, Assessment, AuditEntry, Severity, Signal, TreeSample, ValidJob} from '../../types.js';
import type {HeldLock} from '../../jobs/file-lock.js';
import {actionUnderWay, takeActionLock} from './action-lock.js';
import {auditEntry, newActionId} from './audit-entry.js';
import {checkIdentity, type ExpectedProcess} from './identity.js';
import {evidenceForStop} from './evidence/keep-evidence.js';
import {readProcess, readRealUid} from '../observe/process-table.js';
import {statusAfter, withStatusChange} from './status-transitions.js';
import {stopTree, type SignalFunction, type StopReport} from './stop-tree.js';

/** What the executor needs from its owner: where to record, how to signal, whom to tell. */
export type ActionContext = {
	graceMs: number;
	dryRun: boolean;
	/** Appends and flushes an audit entry (throws when the disk refuses). */
	record: (entry: AuditEntry, dir: string) => void;
	/** Counts an automatic action against the hourly limit. */
	count: (jobId: string, action: 'recover' | 'terminate', at: number, actionId: string, dir: string) => void;
	/** The manifest's mtime after the sentinel's own write: not the job's activity. */
	ownWrite: (dir: string, mtimeMs: number) => void;
	now: () => number;
	kill?: SignalFunction;
	/** `--evidence-command`, run before a stop with `{pid}` (SPEC section 15). */
	evidenceCommand?: string | null;
};

export type ActionRequest = {
	action: 'recover' | 'terminate';
	actor: Actor;
	job: ValidJob;
	severity: Severity;
	evidence: Signal[];
	reason: string;
	/** The process to stop, as the manifest names it; null when there is none to signal. */
	expected: ExpectedProcess | null;
	/** Why there is no process to stop (no pid, lost), for the audit entry. */
	noProcessReason?: string;
	/** Write only if the manifest is still what was assessed. */
	expectedContentKey?: string;
	/** Counted against the hourly limit (automatic actions). */
	counted: boolean;
	/**
	 * Finishing a `started` action of a sentinel that died: same id, no second `started`.
	 * `finished`: whether its result is in the audit log, written by its actor after all.
	 */
	resume?: {actionId: string; finished?: () => boolean};
	/** The assessment acted on, and the tree's last sample: kept in the evidence file. */
	assessment?: Assessment | null;
	sample?: TreeSample | null;
};

/**
 * Done (with its result entry), or not begun. `retry`: nothing was changed or signalled (its
 * manifest or lock could not be had), so it is tried again, less and less often. Not begun:
 * worth another try next tick (a lock held elsewhere, a manifest that changed, another action
 * under way), or with
 * `backOff`, later (its `started` entry could not be flushed: nothing may be done without it).
 */
export type ActionOutcome = {done: true; entry: AuditEntry; retry?: boolean} | {done: false; why: string; backOff?: boolean};

function ownerGuard(ownerUid: number): (pid: number) => string | null {
	return pid => {
		const uid = readRealUid(pid);
		if (uid === null) return `pid ${pid}: its owner could not be read`;
		return uid === ownerUid ? null : `pid ${pid} belongs to uid ${uid}, not to the job's owner uid ${ownerUid}`;
	};
}

/** This action's history entry, when the manifest already carries it (a crashed action's write landed). */
function landedEntry(manifest: Record<string, unknown>, actionId: string): Record<string, unknown> | null {
	const history = Array.isArray(manifest['history']) ? (manifest['history'] as unknown[]) : [];
	const found = history.find(entry => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>)['action_id'] === actionId);
	return (found as Record<string, unknown> | undefined) ?? null;
}

/** What every entry of this action says. */
function entryBase(request: ActionRequest, actionId: string) {
	return {job_id: request.job.jobId, action: request.action, actor: request.actor, severity: request.severity, evidence: request.evidence, action_id: actionId};
}

/**
 * Carry out a recover or terminate (SPEC section 5): under the job's action lock, and the job's
 * lock for the write, flush the `started` entry, write the new status, then stop the process tree
 * after checking, right before any signal, that the process is still the job's. A lock held
 * elsewhere, another action under way, or a manifest that changed since the assessment, leaves
 * everything as it was: the caller tries again next tick (a manual action is refused).
 */
export async function carryOut(context: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
	const {job, action} = request;
	const actionId = request.resume?.actionId ?? newActionId();
	const base = entryBase(request, actionId);
	const newStatus = statusAfter(action, job.status);
	if (context.dryRun) {
		const target = request.expected ? `stop the tree of pid ${request.expected.pid}` : (request.noProcessReason ?? 'no process to stop');
		// Counted among the dry runs, so the log shows what the hourly limit would have held back.
		if (request.counted) context.count(job.jobId, action, context.now(), actionId, job.dir);
		const entry = auditEntry({...base, result: 'dry-run', reason: `${request.reason}; would set ${job.status} -> ${newStatus} and ${target}`}, context.now());
		context.record(entry, job.dir);
		return {done: true, entry};
	}

	// One action at a time on a job, across processes (a dashboard, a headless sentinel, a command).
	let actionLock: HeldLock | null;
	try {
		actionLock = await takeActionLock(job.dir);
	} catch (error) {
		// As a `.lock` that cannot be taken: nothing was done, and it is tried again later.
		const reason = `${request.reason}; could not take the job's action lock: ${(error as Error).message}; nothing done`;
		const entry = auditEntry({...base, result: 'failed', reason, nothing_done: true, previous_status: job.status, new_status: newStatus}, context.now());
		context.record(entry, job.dir);
		return {done: true, entry, retry: true};
	}
	if (!actionLock) return {done: false, why: `${job.jobId}: ${actionUnderWay}`};
	try {
		// Asked only now, under the lock: an actor writes its result before it lets go, so one that
		// was alive after all (a command in its grace period) may have finished since it was last asked.
		// Inside the try: a log that cannot be read throws, and the lock must go all the same.
		if (request.resume?.finished?.()) return {done: false, why: `${job.jobId}: its ${action} was finished by its own actor`};
		return await changeAndStop(context, request, actionId);
	} finally {
		actionLock.release();
	}
}

/** The action itself, under its action lock: the `started` entry, the manifest, then the stop. */
async function changeAndStop(context: ActionContext, request: ActionRequest, actionId: string): Promise<ActionOutcome> {
	const {job, action} = request;
	const base = entryBase(request, actionId);
	let previousStatus = job.status;
	let newStatus = statusAfter(action, job.status);
	let started = Boolean(request.resume);
	let unaudited: unknown = null;
	let manifestBefore: unknown = null;
	const update = await updateManifest(
		job.manifestPath,
		current => {
			manifestBefore = current;
			const landed = request.resume ? landedEntry(current, actionId) : null;
			if (landed) {
				// The dead sentinel's write is there: report its transition, not one from the status it wrote.
				previousStatus = typeof landed['previous_status'] === 'string' ? landed['previous_status'] : previousStatus;
				newStatus = typeof landed['new_status'] === 'string' ? landed['new_status'] : newStatus;
				return null;
			}
			if (!started) {
				try {
					context.record(auditEntry({...base, result: 'started', reason: request.reason}, context.now()), job.dir);
				} catch (error) {
					// Fail closed: without its `started` entry on disk, nothing is written or signalled.
					unaudited = error;
					throw error;
				}
				started = true;
			}
			return withStatusChange(current, {action, severity: request.severity, reason: request.reason, actionId, now: context.now()});
		},
		request.resume ? {} : {expectedContentKey: request.expectedContentKey},
	);
	if (update.outcome === 'locked') return {done: false, why: `${job.jobId}: its lock is held elsewhere`};
	if (update.outcome === 'changed') return {done: false, why: `${job.jobId}: its manifest changed since the assessment`};
	const finish = (fields: Partial<AuditEntry> & Pick<AuditEntry, 'result' | 'reason'>): {done: true; entry: AuditEntry} => {
		const entry = auditEntry({...base, ...fields, previous_status: previousStatus, new_status: newStatus}, context.now());
		context.record(entry, job.dir);
		return {done: true, entry};
	};
	if (unaudited !== null) {
		return {done: false, backOff: true, why: `${job.jobId}: ${action} not begun: its audit entry could not be written (${update.outcome === 'failed' ? update.error : String(unaudited)}); nothing written or signalled`};
	}
	if (update.outcome === 'failed') {
		// The lock could not be taken (a `.lock` that is a link) or the folder read: nothing was done.
		if (!started) return {...finish({result: 'failed', reason: `${request.reason}; could not take the job's lock or read its manifest: ${update.error}; nothing done`, nothing_done: true}), retry: true};
		// Nothing changed, so nothing counts against the limit: the caller tries again on a later tick.
		return {...finish({result: 'failed', reason: `${request.reason}; could not write the manifest: ${update.error}; no signal sent`, nothing_done: true}), retry: true};
	}
	if (update.outcome === 'written') {
		const mtime = fs.statSync(job.manifestPath, {throwIfNoEntry: false})?.mtimeMs;
		if (mtime !== undefined) context.ownWrite(job.dir, mtime);
		// Counted once the change is made; a sentinel killed before its count reached state.json is
		// covered by its `started` entry (finishStartedActions). A resumed action was counted there.
		if (request.counted && !request.resume) context.count(job.jobId, action, context.now(), actionId, job.dir);
	}

	const statusPart = `${request.reason}; status ${previousStatus} -> ${newStatus}`;
	if (!request.expected) return finish({result: 'ok', reason: `${statusPart}; ${request.noProcessReason ?? 'no process'}: no signal`});
	const {pid} = request.expected;
	const expected = request.expected;
	const lostNow = () => checkIdentity(readProcess(pid), readRealUid(pid), expected);
	const lost = lostNow();
	if (lost) return finish({result: 'ok', reason: `${statusPart}; process lost (${lost}): no signal`});

	const {actor, severity, reason, assessment = null, sample = null} = request;
	const stuck = assessment?.diagnosis?.pid ?? pid;
	const evidence = await evidenceForStop(context.evidenceCommand, {root: pid, stuck}, {action, actionId, actor, job, severity, reason, assessment, sample, manifest: manifestBefore}, context.now);
	// The evidence command may have taken seconds: the identity is checked again right before the stop.
	const lostSince = context.evidenceCommand ? lostNow() : null;
	if (lostSince) return finish({result: 'ok', reason: `${statusPart}; process lost (${lostSince}) while the evidence command ran: no signal`});
	const report = await stopTree(pid, {graceMs: context.graceMs, guard: ownerGuard(request.expected.ownerUid), kill: context.kill, beforeSignals: evidence.take});
	const refused = report.refused.map(item => `${item.pid}: ${item.reason}`);
	const stopped = report.survivors.length === 0;
	const killedPart = report.killed.length > 0 ? `, ${report.killed.length} needed SIGKILL` : '';
	return finish({
		result: stopped && report.signalled.length > 0 ? 'ok' : 'failed',
		reason: stopReason(statusPart, report, refused, killedPart),
		pids: {signalled: report.signalled, killed: report.killed},
		stop_ms: Math.round(report.durationMs),
		...(refused.length > 0 ? {refused} : {}),
		...(report.survivors.length > 0 ? {survivors: report.survivors} : {}),
		...(await evidence.outcome()),
	});
}

/** What the stop did, in words: a refusal says what was refused and why, not that something survived. */
function stopReason(statusPart: string, report: StopReport, refused: string[], killedPart: string): string {
	if (report.signalled.length === 0 && refused.length > 0) return `${statusPart}; nothing signalled: refused ${refused.join('; ')}`;
	const refusedPart = refused.length > 0 ? `; refused ${refused.join('; ')}` : '';
	if (report.survivors.length === 0) return `${statusPart}; stopped ${report.signalled.length} processes in ${Math.round(report.durationMs)} ms${killedPart}${refusedPart}`;
	return `${statusPart}; ${report.survivors.length} processes survived SIGKILL${refusedPart}`;
}
