import {formatSize} from '../../config/units.js';
import type {JobView} from '../../sentinel/snapshot.js';
import {sanitize} from '../../text/sanitize.js';
import {formatCompactDuration, formatPercent} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import type {Segment} from '../Line.js';
import {sparkline} from '../sparkline.js';
import {fitTo} from '../text.js';
import {severityStyle} from '../theme.js';
import {columnNames, columnTitles, type ColumnName, type ColumnWidths} from './columns.js';
import {severityLabel, silenceOf, type SortOrder} from './order.js';

const rightAligned = new Set<ColumnName>(['pid', 'silent', 'uptime']);

const sortedColumn: Record<SortOrder, ColumnName> = {severity: 'sev', silence: 'silent', id: 'id', cpu: 'cpu', mem: 'mem'};

/** The column titles, the sorted one marked. */
export function headerSegments(widths: ColumnWidths, sort: SortOrder, glyphs: Glyphs): Segment[] {
	const cells = columnNames.map(name => {
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

/** One job as one table line: every cell cut or padded to its column. */
export function rowSegments(view: JobView, context: RowContext): Segment[] {
	const {widths, now, glyphs, color, selected} = context;
	const gap = ' '.repeat(widths.gap);
	const marker = (selected ? glyphs.selected : ' ') + (view.paused ? glyphs.paused : ' ') + ' ';
	const label = severityLabel(view);
	const head: Segment = {text: marker + cell(view.job.jobId, widths.id, glyphs) + gap};
	const sev: Segment = {text: cell(label, widths.sev, glyphs), ...severityStyle(label, color)};
	const {job} = view;
	if (!job.valid) {
		const before = [cell('-', widths.role, glyphs), cell('-', widths.status, glyphs), cell('-', widths.pid, glyphs, 'right')];
		const reasonWidth = widths.silent + widths.cpu + widths.mem + widths.uptime + 3 * widths.gap;
		return [head, {text: before.join(gap) + gap}, sev, {text: gap + cell(job.error, reasonWidth, glyphs)}];
	}

	const {sample} = view;
	const cpuValue = sample?.cpuTrusted ? formatPercent(sample.cpuPercent) : '-';
	const cpu = cell(cpuValue, widths.cpu - widths.spark, glyphs, 'right') + sparkline(view.cpuHistory, widths.spark, glyphs.spark, 100);
	const mem = cell(sample ? formatSize(sample.rssBytes) : '-', widths.mem - widths.spark, glyphs, 'right') + sparkline(view.rssHistory, widths.spark, glyphs.spark);
	const uptime = view.startedMs === null ? null : now - view.startedMs;
	const middle = [cell(job.role, widths.role, glyphs), cell(job.status, widths.status, glyphs), cell(job.pid === null ? '-' : String(job.pid), widths.pid, glyphs, 'right')];
	const tail = [cell(formatCompactDuration(silenceOf(view, now)), widths.silent, glyphs, 'right'), cpu, mem, cell(formatCompactDuration(uptime), widths.uptime, glyphs, 'right')];
	return [head, {text: middle.join(gap) + gap}, sev, {text: gap + tail.join(gap)}];
}
