import {randomUUID} from 'node:crypto';
import {sanitize} from '../text/sanitize.js';
import {severities, type ActionName, type ActionResult, type AuditEntry, type Severity} from '../types.js';
import type {RemoteAction} from './remote-command.js';
import type {RemoteOutcome} from './remote-run.js';

const results: readonly string[] = ['started', 'ok', 'failed', 'skipped', 'dry-run'];

/** An action the fleet ran on a host, as the log panel shows it: an audit entry, with its host. */
export type FleetAuditEntry = AuditEntry & {
	/** The host it ran on (`sentinel_info`'s label, sanitised). */
	host: string;
	/** The action_id the host's own audit log has for it, when it said one. */
	remote_action_id?: string;
};

const text = (value: unknown): string | null => (typeof value === 'string' ? sanitize(value).slice(0, 500) : null);
const pids = (value: unknown): number[] => (Array.isArray(value) ? value.filter((pid): pid is number => Number.isSafeInteger(pid)) : []);

/** A new action's id, shared by its `started` and result entries so the log shows one line. */
export const newActionId = (): string => randomUUID();

/** The job an entry is about: its id and host as shown, and its severity when asked. */
export type EntrySubject = {jobId: string; host: string; severity: Severity};

/**
 * An entry for the fleet's log panel: what the operator asked for on which job and host, and what
 * came back, every string from the host sanitised. Pause and resume are not audit actions on a
 * host (docs/design.md) but take the same line here. `outcome` null: the `started` entry.
 */
export function fleetEntry(subject: EntrySubject, action: RemoteAction, actionId: string, nowMs: number, outcome: RemoteOutcome | {refused: string} | null): FleetAuditEntry {
	const said = outcome && 'result' in outcome ? outcome.result : {};
	const result = outcome === null ? 'started' : 'result' in outcome && results.includes(String(said['result'])) ? (said['result'] as ActionResult) : 'failed';
	const reason = outcome === null ? 'sent from the fleet view' : 'refused' in outcome ? outcome.refused : 'failure' in outcome ? outcome.failure : (text(said['reason']) ?? '');
	const severity = severities.includes(said['severity'] as Severity) ? (said['severity'] as Severity) : subject.severity;
	const sentinel = (said['sentinel'] ?? {}) as Record<string, unknown>;
	const remoteId = text(said['action_id']);
	const signalled = (said['pids'] ?? {}) as Record<string, unknown>;
	return {
		ts: new Date(nowMs).toISOString(),
		job_id: subject.jobId,
		action: action as ActionName,
		actor: 'user',
		severity,
		result,
		action_id: actionId,
		reason,
		evidence: [],
		pids: {signalled: pids(signalled['signalled']), killed: pids(signalled['killed'])},
		sentinel: {pid: Number.isSafeInteger(sentinel['pid']) ? (sentinel['pid'] as number) : 0, host: text(sentinel['host']) ?? subject.host},
		host: subject.host,
		...(remoteId ? {remote_action_id: remoteId} : {}),
	};
}
