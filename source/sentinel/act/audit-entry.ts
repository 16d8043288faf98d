import os from 'node:os';
import {randomUUID} from 'node:crypto';
import {z} from 'zod';
import {severities, type AuditEntry} from '../../types.js';

/** Who wrote an entry: this sentinel process on this host. */
export const thisSentinel: AuditEntry['sentinel'] = {pid: process.pid, host: os.hostname()};

/** The id shared by an action's `started` entry and its result. */
export function newActionId(): string {
	return randomUUID();
}

/** What an entry must say; `action_id` and `pids` have defaults, and extra facts may be added. */
export type AuditFields = Pick<AuditEntry, 'job_id' | 'action' | 'actor' | 'severity' | 'result' | 'reason' | 'evidence'> &
	Partial<Pick<AuditEntry, 'action_id' | 'pids'>> & {[extra: string]: unknown};

/**
 * An entry written now by this sentinel: `ts` (from `now`) and `sentinel` are always set afresh,
 * even over an earlier entry's fields spread in; a new `action_id` and no `pids` unless given.
 */
export function auditEntry(fields: AuditFields, now = Date.now()): AuditEntry {
	return {
		action_id: newActionId(),
		pids: {signalled: [], killed: []},
		...fields,
		ts: new Date(now).toISOString(),
		sentinel: thisSentinel,
	};
}

// Loose on purpose: a reader must keep going over entries from older or newer versions.
const signalSchema = z.looseObject({
	name: z.enum(['silence', 'memory', 'process', 'busy', 'cadence', 'diagnosis']),
	severity: z.enum(severities),
	value: z.union([z.number(), z.string()]),
	threshold: z.union([z.number(), z.string()]),
	message: z.string(),
});
const entrySchema = z.looseObject({
	ts: z.string(),
	job_id: z.string(),
	action: z.enum(['notify', 'recover', 'terminate']),
	actor: z.enum(['auto', 'user']).catch('auto'),
	severity: z.enum(severities).catch('ok'),
	result: z.enum(['started', 'ok', 'failed', 'skipped', 'dry-run']),
	action_id: z.string().catch(''),
	reason: z.string().catch(''),
	evidence: z.array(signalSchema).catch([]),
	pids: z.object({signalled: z.array(z.number()).catch([]), killed: z.array(z.number()).catch([])}).catch({signalled: [], killed: []}),
	sentinel: z.object({pid: z.number(), host: z.string()}).catch({pid: 0, host: ''}),
});

/** One line of the log as an entry, or null for a torn or foreign line. */
export function parseAuditLine(line: string): AuditEntry | null {
	if (line.trim() === '') return null;
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return null;
	}
	const result = entrySchema.safeParse(value);
	return result.success ? (result.data as AuditEntry) : null;
}
