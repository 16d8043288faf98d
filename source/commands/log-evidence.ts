import {AuditLog} from '../sentinel/act/audit-log.js';
import type {LogOptions} from './log.js';
import {readEvidence} from '../sentinel/act/evidence/evidence-folder.js';
import {evidenceLines} from '../sentinel/act/evidence/evidence-text.js';
import {terminalSafeJson} from '../text/safe-json.js';
import {sanitize} from '../text/sanitize.js';

/** Exit codes of `log --evidence`: 0 printed, 1 no evidence for that action (unknown id, none kept, gone). */
export const evidenceExitCodes = {printed: 0, none: 1} as const;

/** The shortest prefix of an action id taken for the whole id. */
const prefixLength = 8;

/** What `log --evidence` needs of the log command's options, and the action asked for (its id, or 8+ characters of it). */
export type LogEvidenceOptions = Pick<LogOptions, 'auditLog' | 'json' | 'stdout'> & {actionId: string; stderr: NodeJS.WritableStream};

/** Where the audit log says an action's evidence is, or why there is none: one line. */
function findEvidence(auditLog: string, wanted: string): {file: string} | {problem: string} {
	const matches = (id: string) => id === wanted || (wanted.length >= prefixLength && id.startsWith(wanted));
	const entries = new AuditLog(auditLog).readAll().filter(entry => matches(entry.action_id));
	const ids = new Set(entries.map(entry => entry.action_id));
	if (ids.size === 0) return {problem: `no action ${wanted} in the audit log ${auditLog}`};
	if (ids.size > 1) return {problem: `${wanted} names ${ids.size} actions: give more of the id`};
	const file = entries.map(entry => entry['evidence_file']).find(value => typeof value === 'string');
	if (typeof file === 'string') return {file};
	const error = entries.map(entry => entry['evidence_error']).find(value => typeof value === 'string');
	if (typeof error === 'string') return {problem: `action ${wanted}: ${error}`};
	return {problem: `action ${wanted} kept no evidence (only a stop that signals keeps evidence)`};
}

/** `sentinel-tui log --evidence ACTION_ID [--json]`: one action's evidence file, readable or as JSON. */
export function runLogEvidence(options: LogEvidenceOptions): number {
	const fail = (message: string) => {
		options.stderr.write(`sentinel-tui: ${sanitize(message)}\n`);
		return evidenceExitCodes.none;
	};
	if (options.actionId.trim() === '') return fail('--evidence needs an action id, as `sentinel-tui log` shows it');
	const found = findEvidence(options.auditLog, options.actionId.trim());
	if ('problem' in found) return fail(found.problem);
	let value: unknown;
	try {
		const content = readEvidence(found.file);
		if (content === null) return fail(`the evidence file ${found.file} is gone`);
		value = JSON.parse(content.toString('utf8'));
	} catch (error) {
		return fail(`the evidence file ${found.file} cannot be read: ${(error as Error).message}`);
	}
	options.stdout.on('error', () => undefined);
	options.stdout.write(options.json ? `${terminalSafeJson(value, 2)}\n` : `${evidenceLines(value).join('\n')}\n`);
	return evidenceExitCodes.printed;
}
