import path from 'node:path';
import {evidenceNameParts} from '../../sentinel/act/evidence/evidence-folder.js';
import type {JobView} from '../../sentinel/snapshot.js';
import {pad2} from '../../text/format.js';
import {sanitize} from '../../text/sanitize.js';
import type {AuditEntry} from '../../types.js';
import {formatClock} from '../format.js';
import {entrySegments} from '../intervention-log/InterventionLog.js';
import type {Segment} from '../Line.js';

/** `e1`, `e2`, ... before a line whose stop kept evidence (where a narrow screen keeps it): how many `e` open it. */
function mark(order: number): Segment {
	return order < 0 ? {text: '      '} : {text: `  e${order + 1}`.padEnd(6), bold: true};
}

/** A day and time in local time: a stop only its evidence remembers may be days old. */
function dayAndTime(at: number): string {
	const day = new Date(at);
	return `${day.getFullYear()}-${pad2(day.getMonth() + 1)}-${pad2(day.getDate())} ${formatClock(at)}`;
}

/** A stop known only by its evidence file: older than the audit entries held in memory. */
function evidenceOnly(file: string, jobId: string): Segment[] {
	const parts = evidenceNameParts(path.basename(file));
	if (!parts) return [{text: sanitize(path.basename(file))}];
	return [
		{text: `${Number.isNaN(parts.at) ? '' : dayAndTime(parts.at)} `, dim: true},
		{text: `${parts.action} `, bold: true},
		{text: `${sanitize(jobId)} `},
		{text: `action ${sanitize(parts.actionId)}`},
		{text: ': its evidence (older than the log held here)', dim: true},
	];
}

/**
 * The detail view's Interventions section: the job's audit entries held here, newest first, then
 * the stops whose evidence alone is left (`evidence`, newest first, holds both kinds: e1 the newest).
 */
export function interventionLines(view: JobView, audit: readonly AuditEntry[], evidence: readonly string[], color: boolean): Segment[][] {
	const opens = evidence.length === 0 ? '' : evidence.length === 1 ? " (e opens e1's evidence)" : " (e opens e1's evidence, e again the next older)";
	const lines: Segment[][] = [[], [{text: `Interventions${opens}`, bold: true}]];
	const named = new Set<unknown>(audit.map(entry => entry['evidence_file']));
	const older = evidence.filter(file => !named.has(file));
	if (audit.length === 0 && older.length === 0) lines.push([{text: '  none', dim: true}]);
	for (const entry of [...audit].reverse()) {
		const file = entry['evidence_file'];
		lines.push([mark(typeof file === 'string' ? evidence.indexOf(file) : -1), ...entrySegments(entry, color)]);
	}
	for (const file of older) lines.push([mark(evidence.indexOf(file)), ...evidenceOnly(file, view.job.jobId)]);
	return lines;
}
