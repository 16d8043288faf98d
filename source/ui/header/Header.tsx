import {Box} from 'ink';
import type {Snapshot} from '../../sentinel/snapshot.js';
import {compareText} from '../../text/compare-text.js';
import {severities} from '../../types.js';
import {formatClock} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import {severityLabel} from '../job-table/order.js';
import {Line, type Segment} from '../Line.js';
import {severityStyle, type SeverityLabel} from '../theme.js';
import {fleetStatusLine, hostsLine} from './fleet-header.js';

/** Who acts on this jobs directory, in a few words. */
export function actorText(snapshot: Snapshot): string {
	const {acting, leader} = snapshot.actor;
	// Before the first pass no sentinel has tried to lead yet.
	if (snapshot.tick === 0) return 'starting';
	if (acting) return 'actor';
	if (snapshot.actor.problem) return `observer, cannot lead: ${snapshot.actor.problem}`;
	if (leader) return `observer, pid ${leader.pid}@${leader.host} acts`;
	return 'observer, no sentinel acts';
}

/** Line one: clock, automatic action, actor, the hourly limit, dry-run, the jobs dir (last: it is cut first). */
export function statusLine(snapshot: Snapshot, glyphs: Glyphs): Segment[] {
	const sep: Segment = {text: glyphs.separator, dim: true};
	const segments: Segment[] = [
		{text: 'sentinel-tui ', bold: true},
		{text: formatClock(snapshot.generatedAt)},
		sep,
		{text: `auto ${snapshot.auto ? 'on' : 'off'}`, color: snapshot.auto ? 'green' : 'yellow'},
		sep,
		{text: actorText(snapshot), color: snapshot.actor.problem ? 'red' : undefined},
		sep,
		{text: `${snapshot.interventionsLastHour}/${snapshot.maxInterventions} interventions/h`, color: snapshot.interventionsLastHour >= snapshot.maxInterventions ? 'red' : undefined},
	];
	if (snapshot.dryRun) segments.push(sep, {text: 'DRY-RUN', bold: true, color: 'magenta'});
	if (snapshot.watchMode === 'poll') segments.push(sep, {text: 'polling', color: 'yellow'});
	segments.push(sep, {text: snapshot.jobsDir});
	return segments;
}

/** Line two: job counts by severity (always all of them, so the line does not jump), then by status. */
export function countsLine(snapshot: Snapshot, glyphs: Glyphs, color: boolean): Segment[] {
	const bySeverity = new Map<SeverityLabel, number>();
	// Counted by the status as written, folded by case after: a case-folded copy of every job's
	// status each frame (1,000 in the fleet view) cost more than the count itself.
	const byWritten = new Map<string, number>();
	for (const view of snapshot.jobs) {
		const label = severityLabel(view);
		bySeverity.set(label, (bySeverity.get(label) ?? 0) + 1);
		const written = view.job.valid ? view.job.status : 'INVALID';
		byWritten.set(written, (byWritten.get(written) ?? 0) + 1);
	}
	const byStatus = new Map<string, number>();
	for (const [written, count] of byWritten) {
		const status = written.toUpperCase();
		byStatus.set(status, (byStatus.get(status) ?? 0) + count);
	}

	const segments: Segment[] = [{text: `${snapshot.jobs.length} jobs: `}];
	const labels: SeverityLabel[] = [...[...severities].reverse(), 'invalid'];
	for (const label of labels) {
		const count = bySeverity.get(label) ?? 0;
		segments.push(count > 0 ? {text: label, ...severityStyle(label, color)} : {text: label, dim: true}, {text: ` ${count}  `});
	}

	const statuses = [...byStatus].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
	if (statuses.length > 0) segments.push({text: glyphs.separator.trimStart(), dim: true});
	segments.push({text: statuses.map(([status, count]) => `${status} ${count}`).join('  ')});
	return segments;
}

export type HeaderProps = {
	/** The engine's latest snapshot. */
	snapshot: Snapshot;
	/** Terminal columns available. */
	width: number;
	/** Rows available: 2 (3 in the fleet view), fewer on a tiny terminal. */
	height: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** How many lines the header wants: the fleet view adds its hosts. */
export function headerLines(snapshot: Snapshot): number {
	return snapshot.fleet ? 3 : 2;
}

/** The header lines: two, three in the fleet view. */
export function Header({snapshot, width, height, glyphs, color}: HeaderProps) {
	const {fleet} = snapshot;
	const all = fleet
		? [fleetStatusLine(snapshot, fleet, glyphs), countsLine(snapshot, glyphs, color), hostsLine(fleet, snapshot.generatedAt, glyphs)]
		: [statusLine(snapshot, glyphs), countsLine(snapshot, glyphs, color)];
	const lines = all.slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column">
			{lines.map((segments, index) => (
				<Line key={index} segments={segments} width={width} ellipsis={glyphs.ellipsis} color={color} />
			))}
		</Box>
	);
}
