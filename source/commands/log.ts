import fs from 'node:fs';
import {AuditLog} from '../sentinel/act/audit-log.js';
import {terminalSafeJson} from '../text/safe-json.js';
import {sanitize} from '../text/sanitize.js';
import type {AuditEntry} from '../types.js';
import {truncateMiddle} from '../ui/text.js';

/** The most of a job id a readable log line shows (`--json` keeps it whole). */
const idColumns = 40;

export type LogOptions = {
	/** The audit log file (`--audit-log`, else `<jobs-dir>/.sentinel/audit.jsonl`). */
	auditLog: string;
	/** Raw JSON lines instead of the readable table. */
	json: boolean;
	/** Keep printing new entries until SIGINT/SIGTERM (or `signal`). */
	follow: boolean;
	stdout: NodeJS.WritableStream;
	/** Where notices go in JSON mode, so stdout stays JSON (default process.stderr). */
	stderr?: NodeJS.WritableStream;
	/** Ends following, as SIGINT would. */
	signal?: AbortSignal;
	/** `--evidence ACTION_ID`: print that action's evidence file instead (SPEC section 15). */
	evidence?: string;
};

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

function localTime(ts: string): string {
	const date = new Date(ts);
	if (Number.isNaN(date.getTime())) return sanitize(ts).padEnd(19);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function pidsText(pids: AuditEntry['pids']): string {
	if (pids.signalled.length === 0 && pids.killed.length === 0) return '';
	const killed = pids.killed.length > 0 ? ` (SIGKILL ${pids.killed.join(',')})` : '';
	return `  pids ${pids.signalled.join(',') || '-'}${killed}`;
}

/** Where to find the entry's evidence: `log --evidence` takes the first 8 characters of its action id. */
function evidenceText(entry: AuditEntry): string {
	if (typeof entry['evidence_file'] === 'string') return `  evidence: --evidence ${sanitize(entry.action_id.slice(0, 8))}`;
	return typeof entry['evidence_error'] === 'string' ? `  (${sanitize(entry['evidence_error'])})` : '';
}

/** One entry as one readable line: time, job, action, actor, severity, result, reason. */
export function formatAuditEntry(entry: AuditEntry): string {
	return [
		localTime(entry.ts),
		// Cut in the middle, as the table cuts it: one long id never makes every line as long.
		truncateMiddle(sanitize(entry.job_id), idColumns, '…').padEnd(20),
		entry.action.padEnd(9),
		entry.actor.padEnd(4),
		entry.severity.padEnd(8),
		entry.result.padEnd(7),
		`${sanitize(entry.reason)}${pidsText(entry.pids)}${evidenceText(entry)}`,
	].join('  ').trimEnd();
}

/** `sentinel-tui log [--json] [-f]`: the audit log, oldest first. Exit code 0 (`--evidence`: see log-evidence.ts). */
export async function runLog(options: LogOptions): Promise<number> {
	if (options.evidence !== undefined) {
		const {runLogEvidence} = await import('./log-evidence.js');
		return runLogEvidence({auditLog: options.auditLog, actionId: options.evidence, json: options.json, stdout: options.stdout, stderr: options.stderr ?? process.stderr});
	}
	const log = new AuditLog(options.auditLog);
	const print = (entry: AuditEntry) => {
		options.stdout.write(`${options.json ? terminalSafeJson(entry) : formatAuditEntry(entry)}\n`);
	};
	const exists = log.files().some(file => fs.existsSync(file));
	if (!exists) {
		const waiting = options.follow ? '; waiting for the first entry' : '';
		const notice = `No audit log yet at ${options.auditLog}${waiting}.\n`;
		(options.json ? (options.stderr ?? process.stderr) : options.stdout).write(notice);
	}
	if (!options.follow) {
		// `log | head` closes the pipe early: that is not an error.
		options.stdout.on('error', () => undefined);
		for (const entry of log.readAll()) print(entry);
		return 0;
	}
	await new Promise<void>(resolve => {
		const stop = log.follow(print, {backlog: 'all'});
		const finish = () => {
			stop();
			process.off('SIGINT', finish);
			process.off('SIGTERM', finish);
			options.signal?.removeEventListener('abort', finish);
			options.stdout.off('error', finish);
			resolve();
		};
		process.once('SIGINT', finish);
		process.once('SIGTERM', finish);
		options.stdout.once('error', finish);
		if (options.signal?.aborted) finish();
		else options.signal?.addEventListener('abort', finish, {once: true});
	});
	return 0;
}
