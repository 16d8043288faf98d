import type {JobView} from '../../sentinel/snapshot.js';
import type {Glyphs} from '../glyphs.js';
import {Lines, type KeyedLine} from '../Lines.js';
import {widthOf} from '../text.js';
import {layoutColumns, type ColumnWants} from './columns.js';
import type {SortOrder} from './order.js';
import {headerSegments, rowSegments} from './row.js';
import type {Selection} from './use-job-table-state.js';

export type JobTableProps = {
	/** The jobs to show, filtered and in display order. */
	jobs: readonly JobView[];
	/** Where the selection is and which rows are visible. */
	selection: Selection;
	/** Terminal columns available. */
	width: number;
	/** Job rows that fit below the title line; only these are rendered. */
	height: number;
	/** The snapshot's time, which silence and uptime are measured to. */
	now: number;
	/** The order, marked in the title line. */
	sort: SortOrder;
	/** Shown instead of rows when there are none (no jobs dir yet, no jobs, nothing matches). */
	emptyMessage: string;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** How wide the ids and statuses of `jobs` are, so the id column can be as wide as they need. */
export function columnWants(jobs: readonly JobView[]): ColumnWants {
	let id = 2;
	let status = 0;
	for (const {job} of jobs) {
		id = Math.max(id, widthOf(job.jobId));
		if (job.valid) status = Math.max(status, widthOf(job.status));
	}
	return {id, status};
}

/** The job table: a title line and one line per visible job, never more rows than fit. */
export function JobTable({jobs, selection, width, height, now, sort, emptyMessage, glyphs, color}: JobTableProps) {
	const widths = layoutColumns(width, columnWants(jobs));
	const visible = jobs.slice(selection.firstVisible, selection.lastVisible + 1);
	const lines: KeyedLine[] = [{key: 'title', segments: headerSegments(widths, sort, glyphs)}];
	if (jobs.length === 0 && height > 0) lines.push({key: 'empty', segments: [{text: `  ${emptyMessage}`, dim: true}]});
	for (const [offset, view] of visible.entries()) {
		const selected = selection.firstVisible + offset === selection.index;
		lines.push({key: view.job.dir, segments: rowSegments(view, {widths, now, glyphs, color, selected}), inverse: selected});
	}
	return <Lines lines={lines} width={width} ellipsis={glyphs.ellipsis} color={color} />;
}
