import type {Actor, Assessment, Diagnosis, Severity} from '../../../types.js';
import type {CommandRecord} from './evidence-command.js';
import {evidenceLimitBytes} from './evidence-folder.js';
import type {OutputTail} from './output-tails.js';
import type {ProcessFacts} from './process-facts.js';
import {hidden, redactText, secretName} from './redact.js';

/** What one evidence file holds (SPEC section 15); docs/evidence.md describes each field. */
export type EvidenceRecord = {
	format: 1;
	action: 'recover' | 'terminate';
	action_id: string;
	actor: Actor;
	job_id: string;
	dir: string;
	/** When the capture was made, right before the first signal. */
	captured_at: string;
	sentinel: {version: string; host: string; pid: number};
	severity: Severity;
	reason: string;
	/** The assessment the action was taken on; null when there was none (a resumed action). */
	assessment: Assessment | null;
	diagnosis: Diagnosis | null;
	/** The tree as snapshotted for the stop, root first. */
	processes: ProcessFacts[];
	processes_left_out?: number;
	outputs: OutputTail[];
	/** The manifest as it was before the action's write, secrets hidden. */
	manifest: unknown;
	evidence_command: CommandRecord | null;
	/** How long the capture took, in ms (the evidence command's run excluded). */
	capture_ms?: number;
	/** What was cut to keep the file within 1 MiB, in order. */
	cut?: string[];
};

/** What stands for a part of a manifest nested deeper than redaction looks. */
export const tooDeep = '[nested too deep: left out]';

/**
 * A manifest's value with secrets hidden: key shapes in any string, and every string and number
 * under a field named like a secret, however deep (`"tokens": ["a", "b"]`, `"auth": {"user": ...}`).
 */
export function redactValue(value: unknown, depth = 0, secret = false): unknown {
	if (typeof value === 'string') return secret ? hidden : redactText(value);
	if (typeof value === 'number' && secret) return hidden;
	if (value === null || typeof value !== 'object') return value;
	// Not kept whole past the depth looked into: a secret could lie below it.
	if (depth > 32) return tooDeep;
	if (Array.isArray(value)) return value.map(item => redactValue(item, depth + 1, secret));
	return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, depth + 1, secret || secretName(key))]));
}

type Cut = {note: string; apply: (record: EvidenceRecord) => EvidenceRecord};

const tailsTo = (lines: number): Cut => ({
	note: `output tails cut to their last ${lines} lines`,
	apply: record => ({...record, outputs: record.outputs.map(tail => ({...tail, lines: tail.lines.slice(-lines)}))}),
});

// Output tails go first (the bulk, and the least particular to the moment), the manifest last.
const cuts: Cut[] = [
	tailsTo(100),
	tailsTo(50),
	tailsTo(10),
	tailsTo(0),
	{
		note: 'evidence command output cut to 4 KiB each',
		apply: record => (record.evidence_command ? {...record, evidence_command: {...record.evidence_command, stdout: record.evidence_command.stdout.slice(0, 4096), stderr: record.evidence_command.stderr.slice(0, 4096)}} : record),
	},
	{
		note: 'descriptors cut to 16 a process, kernel stacks left out',
		apply: record => ({...record, processes: record.processes.map(facts => ({...facts, fds: facts.fds.slice(0, 16), fds_left_out: (facts.fds_left_out ?? 0) + Math.max(0, facts.fds.length - 16), stack: null}))}),
	},
	{
		note: 'processes cut to the first 20',
		apply: record => ({...record, processes: record.processes.slice(0, 20), processes_left_out: (record.processes_left_out ?? 0) + Math.max(0, record.processes.length - 20)}),
	},
	{note: 'manifest left out', apply: record => ({...record, manifest: null})},
	{note: 'processes left out', apply: record => ({...record, processes: [], processes_left_out: (record.processes_left_out ?? 0) + record.processes.length})},
];

function serialize(record: EvidenceRecord): string {
	return `${JSON.stringify(record, null, 2)}\n`;
}

/** The record as the file's text, cut (output tails first) until it fits in `limit` bytes. */
export function fitRecord(record: EvidenceRecord, limit = evidenceLimitBytes): string {
	let current = record;
	let text = serialize(current);
	for (const cut of cuts) {
		if (Buffer.byteLength(text) <= limit) return text;
		current = cut.apply(current);
		current = {...current, cut: [...(current.cut ?? []), cut.note]};
		text = serialize(current);
	}
	if (Buffer.byteLength(text) <= limit) return text;
	// Only the assessment and the reason are left to be too long: say so, and what the action was.
	const {format, action, action_id, actor, job_id, captured_at, sentinel, severity} = record;
	return serialize({format, action, action_id, actor, job_id, dir: '', captured_at, sentinel, severity, reason: '', assessment: null, diagnosis: null, processes: [], outputs: [], manifest: null, evidence_command: null, cut: ['everything: the evidence was larger than 1 MiB']});
}
