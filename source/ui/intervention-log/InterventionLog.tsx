import {Box} from 'ink';
import type {ActionResult, AuditEntry} from '../../types.js';
import {formatClock} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import {Line, type Segment} from '../Line.js';
import {severityStyle, type Style} from '../theme.js';

const resultStyles: Record<ActionResult, Style> = {
	started: {dim: true},
	ok: {color: 'green'},
	failed: {color: 'red', bold: true},
	skipped: {color: 'yellow'},
	'dry-run': {color: 'cyan'},
};

/**
 * The entries worth a line, newest first: a `started` entry is dropped once its result follows
 * (same action_id), so an action takes one line.
 */
export function logEntries(recentAudit: readonly AuditEntry[], limit: number): AuditEntry[] {
	const finished = new Set(recentAudit.filter(entry => entry.result !== 'started').map(entry => entry.action_id));
	const shown = recentAudit.filter(entry => entry.result !== 'started' || !finished.has(entry.action_id));
	return shown.reverse().slice(0, Math.max(0, limit));
}

/** The clock time of an audit entry, or its raw stamp when that does not parse. */
export function entryTime(entry: AuditEntry): string {
	const at = Date.parse(entry.ts);
	return Number.isNaN(at) ? entry.ts : formatClock(at);
}

/** The host an entry happened on: the fleet's own `host` field when it set one, else the sentinel's. */
export function entryHost(entry: AuditEntry): string {
	return typeof entry['host'] === 'string' ? entry['host'] : entry.sentinel.host;
}

/** One audit entry as one line: time, action, job (and in the fleet view its host), result, who and why. */
export function entrySegments(entry: AuditEntry, color: boolean, showHost = false): Segment[] {
	return [
		{text: `${entryTime(entry)} `, dim: true},
		{text: `${entry.action} `, bold: true},
		{text: `${entry.job_id} `},
		{text: showHost ? `on ${entryHost(entry)} ` : ''},
		{text: entry.result, ...resultStyles[entry.result]},
		{text: ` ${entry.actor} `},
		{text: entry.severity, ...severityStyle(entry.severity, color)},
		{text: entry.reason ? ` ${entry.reason}` : ''},
	];
}

export type InterventionLogProps = {
	/** The snapshot's recent audit entries, newest last. */
	entries: readonly AuditEntry[];
	/** Lines available, the title included. */
	height: number;
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
	/** The fleet view: each entry names its host. */
	showHost?: boolean;
};

/** The newest interventions under the table, from the audit log, so they survive restarts. */
export function InterventionLog({entries, height, width, glyphs, color, showHost = false}: InterventionLogProps) {
	if (height <= 0) return null;
	const shown = logEntries(entries, height - 1);
	return (
		<Box flexDirection="column">
			<Line segments={[{text: 'Interventions (newest first)', bold: true}]} width={width} ellipsis={glyphs.ellipsis} color={color} />
			{shown.map((entry, index) => (
				// Entries repeat (a skipped action is retried each tick): the position is the key.
				<Line key={index} segments={entrySegments(entry, color, showHost)} width={width} ellipsis={glyphs.ellipsis} color={color} />
			))}
		</Box>
	);
}
