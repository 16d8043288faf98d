import {formatSize} from '../../config/units.js';
import type {JobView} from '../../sentinel/snapshot.js';
import type {DiagnosisKind} from '../../types.js';
import {sanitize} from '../../text/sanitize.js';
import {formatCompactDuration, formatPercent} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import type {Segment} from '../Line.js';
import {sparkline} from '../sparkline.js';
import {fitTo, truncateMiddle} from '../text.js';
import {severityStyle} from '../theme.js';
import {columnTitles, shownColumns, type ColumnName, type ColumnWidths} from './columns.js';
import {severityLabel, silenceOf, type SortOrder} from './order.js';

const rightAligned = new Set<ColumnName>(['pid', 'silent', 'uptime']);

/** The WHY column's word for each diagnosis (SPEC section 12), at most 8 wide; an active job's is blank. */
export const whyWords: Record<DiagnosisKind, string> = {
	gone: 'gone',
	stopped: 'stopped',
	'looping-output': 'looping',
	'waiting-for-input': 'input',
	'waiting-on-lock': 'lock',
	'waiting-on-network': 'network',
	'disk-wait': 'disk',
	busy: 'busy',
	sleeping: 'sleeping',
	ok: '',
};

const sortedColumn: Record<SortOrder, ColumnName> = {severity: 'sev', silence: 'silent', id: 'id', cpu: 'cpu', mem: 'mem'};

/** The column titles, the sorted one marked; hidden columns left out. */
export function headerSegments(widths: ColumnWidths, sort: SortOrder, glyphs: Glyphs): Segment[] {
	const cells = shownColumns(widths).map(name => {
		const title = columnTitles[name] + (sortedColumn[sort] === name ? glyphs.sortMark : '');
		return fitTo(title, widths[name], glyphs.ellipsis, rightAligned.has(name) ? 'right' : 'left');
	});
	return [{text: ' '.repeat(widths.marker) + cells.join(' '.repeat(widths.gap)), bold: true}];
}

function cell(text: string, width: number, glyphs: Glyphs, align: 'left' | 'right' = 'left'): string {
	return fitTo(sanitize(text), width, glyphs.ellipsis, align);
}

/** Everything a row needs besides the job. */
export type RowContext = {
	widths: ColumnWidths;
	/** The snapshot's time: silence and uptime are measured to it. */
	now: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	color: boolean;
	selected: boolean;
};

/** Each column's cell of a job (SEV aside), cut or padded to its width; an invalid job shows `-`. */
function valueCells(view: JobView, context: RowContext): Record<Exclude<ColumnName, 'sev'>, string> {
	const {widths, now, glyphs} = context;
	const {job, sample} = view;
	const role = job.valid ? job.role : '-';
	const cpuValue = sample?.cpuTrusted ? formatPercent(sample.cpuPercent) : '-';
	const uptime = view.startedMs === null ? null : now - view.startedMs;
	return {
		// Cut in the middle: generated ids and numbered hosts differ at their ends.
		host: cell(truncateMiddle(sanitize(view.host ?? '-'), widths.host, glyphs.ellipsis), widths.host, glyphs),
		id: cell(truncateMiddle(sanitize(job.jobId), widths.id, glyphs.ellipsis), widths.id, glyphs),
		role: cell(role, widths.role, glyphs),
		status: cell(job.valid ? job.status : '-', widths.status, glyphs),
		pid: cell(job.valid && job.pid !== null ? String(job.pid) : '-', widths.pid, glyphs, 'right'),
		silent: cell(formatCompactDuration(silenceOf(view, now)), widths.silent, glyphs, 'right'),
		cpu: cell(cpuValue, widths.cpu - widths.spark, glyphs, 'right') + sparkline(view.cpuHistory, widths.spark, glyphs.spark, 100),
		mem: cell(sample ? formatSize(sample.rssBytes) : '-', widths.mem - widths.spark, glyphs, 'right') + sparkline(view.rssHistory, widths.spark, glyphs.spark),
		uptime: cell(formatCompactDuration(uptime), widths.uptime, glyphs, 'right'),
		why: cell(whyWords[view.assessment?.diagnosis?.kind ?? 'ok'], widths.why, glyphs),
	};
}

/** One job as one table line: every shown cell cut or padded to its column. */
export function rowSegments(view: JobView, context: RowContext): Segment[] {
	const {widths, glyphs, color, selected} = context;
	const gap = ' '.repeat(widths.gap);
	const staleMark = widths.marker > 3 ? (view.stale ? glyphs.stale : ' ') : '';
	const marker = (selected ? glyphs.selected : ' ') + (view.paused ? glyphs.paused : ' ') + staleMark + ' ';
	const label = severityLabel(view);
	const shown = shownColumns(widths);
	const sevAt = shown.indexOf('sev');
	const cells = valueCells(view, context);
	const before = shown.slice(0, sevAt).map(name => cells[name as Exclude<ColumnName, 'sev'>]);
	const after = shown.slice(sevAt + 1);
	// A stale row (its host down or not scraped lately) shows its last known values, dimmed.
	const dim = view.stale ? {dim: true} : {};
	const sev: Segment = {text: cell(label, widths.sev, glyphs), ...severityStyle(label, color), ...dim};
	const head: Segment = {text: marker + before.join(gap) + gap, ...dim};
	if (after.length === 0) return [head, sev];
	// An invalid job's reason takes the place of everything measured after SEV.
	const tail = view.job.valid
		? after.map(name => cells[name as Exclude<ColumnName, 'sev'>]).join(gap)
		: cell(view.job.error, after.reduce((sum, name) => sum + widths[name], 0) + (after.length - 1) * widths.gap, glyphs);
	return [head, sev, {text: gap + tail, ...dim}];
}
