import type {AuditEntry} from '../../types.js';
import type {AuditLog} from './audit-log.js';
import {auditEntry} from './audit-entry.js';
import type {ActionOutcome, ActionRequest} from './carry-out.js';
import {actionTarget} from './action-target.js';
import type {JobState} from '../job-state.js';

const hourMs = 3_600_000;
/** Tries to finish an interrupted action whose job is locked elsewhere, one `retryDelayMs` apart. */
const resumeAttempts = 30;

type Executor = {
	execute: (request: ActionRequest) => Promise<ActionOutcome>;
	/** Counts a `started` entry against the hourly limit; an action id already counted is not counted again. */
	countStarted: (entry: AuditEntry) => void;
};

/** Keeps a job's work in flight: the tick does not wait for it, and plans nothing for the job meanwhile. */
export type Track = (dir: string, work: Promise<unknown>) => void;

/**
 * Crash safety: a sentinel that takes the leader lock finishes every action whose `started`
 * entry has no result (its sentinel died in between), once, after the same checks, under the
 * same action id, so the hourly limit counts it once. Each job's finishing runs in the
 * background, handed to `track`, so a stop in its grace period never holds up monitoring.
 */
export function finishStartedActions(executor: Executor, audit: AuditLog, states: JobState[], track: Track, retryDelayMs: number): void {
	const entries = audit.readAll();
	const finished = new Set(entries.filter(entry => entry.result !== 'started').map(entry => entry.action_id));
	// Actions whose manifest could not be written changed nothing and count for nothing.
	const undone = new Set(entries.filter(entry => entry['nothing_done'] === true).map(entry => entry.action_id));
	const now = Date.now();
	const begun = entries.filter(entry => entry.result === 'started' && entry.action !== 'notify' && Date.parse(entry.ts) > now - hourMs);
	// A sentinel killed right after an action may have flushed its `started` entry but not its
	// count to state.json: every automatic action begun within the hour counts, before any planning.
	for (const entry of begun) if (entry.actor === 'auto' && !undone.has(entry.action_id)) executor.countStarted(entry);
	const open = begun.filter(entry => !finished.has(entry.action_id));
	// One job's interrupted actions run one after another, never side by side on one tree.
	const chains = new Map<string, Promise<void>>();
	for (const started of open) {
		const action = started.action as 'recover' | 'terminate';
		const state = states.find(candidate => candidate.record.jobId === started.job_id);
		const job = state?.record;
		if (!state || !job?.valid) {
			audit.append(auditEntry({...started, result: 'failed', reason: `finishing an interrupted ${action}: the job is gone or invalid`}, now));
			continue;
		}
		const request: ActionRequest = {
			action,
			actor: started.actor,
			job,
			severity: started.severity,
			evidence: started.evidence,
			reason: `finishing an interrupted ${action} (${started.reason})`,
			...actionTarget(state, job),
			counted: started.actor === 'auto',
			resume: {actionId: started.action_id, finished: () => hasResult(audit, started.action_id)},
			assessment: state.assessment,
			sample: state.sample,
		};
		const work = (chains.get(job.dir) ?? Promise.resolve()).then(async () => {
			// A lock held elsewhere (Logist writing) is waited out, a tick at a time, never given up lightly.
			let outcome = await executor.execute(request);
			for (let attempt = 1; !outcome.done && attempt < resumeAttempts; attempt++) {
				// Its action lock was held: its actor was alive after all (a command in its grace
				// period), and has written its result meanwhile.
				if (hasResult(audit, started.action_id)) return;
				await new Promise(resolve => setTimeout(resolve, retryDelayMs));
				outcome = await executor.execute(request);
			}
			if (!outcome.done && !hasResult(audit, started.action_id)) audit.append(auditEntry({...started, result: 'failed', reason: `finishing an interrupted ${action}: ${outcome.why}`}, Date.now()));
		});
		chains.set(job.dir, work);
		track(job.dir, work);
	}
}

function hasResult(audit: AuditLog, actionId: string): boolean {
	return audit.readAll().some(entry => entry.action_id === actionId && entry.result !== 'started');
}
