import {manifestStamp} from '../../jobs/timestamps.js';
import type {Severity} from '../../types.js';

/** Where `recover` sends each monitored status (SPEC section 5); anything else needs a person. */
const recoverTo: Record<string, string> = {
	RUNNING: 'PENDING',
	EXECUTING: 'PENDING',
	PROVISIONING: 'PENDING',
	HARVESTING: 'PENDING',
	REVIEWING: 'REVIEW_REQUIRED',
	RECOVERING: 'INTERVENTION_REQUIRED',
};

/** The status after the action: recover per the table, terminate always INTERVENTION_REQUIRED. */
export function statusAfter(action: 'recover' | 'terminate', status: string): string {
	if (action === 'terminate') return 'INTERVENTION_REQUIRED';
	return recoverTo[status.toUpperCase()] ?? 'INTERVENTION_REQUIRED';
}

type HistoryFacts = {
	action: 'recover' | 'terminate';
	severity: Severity;
	reason: string;
	actionId: string;
	now: number;
};

/**
 * The manifest after the action's status change: new status, and a history entry
 * `SENTINEL_RECOVERY` or `SENTINEL_INTERVENTION` stamped in the manifest's own form (naive local
 * for Logist's, whose Python cannot subtract a zoned stamp from its naive clock); every other field
 * kept as it was.
 */
export function withStatusChange(manifest: Record<string, unknown>, facts: HistoryFacts): Record<string, unknown> {
	const previousStatus = typeof manifest['status'] === 'string' ? manifest['status'] : 'UNKNOWN';
	const newStatus = statusAfter(facts.action, previousStatus);
	const history = Array.isArray(manifest['history']) ? manifest['history'] : [];
	return {
		...manifest,
		status: newStatus,
		history: [
			...history,
			{
				event: facts.action === 'recover' ? 'SENTINEL_RECOVERY' : 'SENTINEL_INTERVENTION',
				timestamp: manifestStamp(manifest, facts.now),
				severity: facts.severity,
				previous_status: previousStatus,
				new_status: newStatus,
				reason: facts.reason,
				action_id: facts.actionId,
			},
		],
	};
}

/** Whether the manifest already carries this action's history entry (a crashed action's write landed). */
export function hasActionEntry(manifest: Record<string, unknown>, actionId: string): boolean {
	const history = Array.isArray(manifest['history']) ? manifest['history'] : [];
	return history.some(entry => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>)['action_id'] === actionId);
}
