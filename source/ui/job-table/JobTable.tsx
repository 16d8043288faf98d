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
	/** The fleet view: a HOST column. */
	fleet?: boolean;
};

/** How wide the ids, statuses and hosts of `jobs` are, so the columns can be as wide as they need. */
export function columnWants(jobs: readonly JobView[], fleet: boolean): ColumnWants {
	let id = 2;
	let status = 0;
	// In the fleet view the HOST column is there even for one short host name: at least its title.
	let host = fleet ? 4 : 0;
	for (const view of jobs) {
		id = Math.max(id, widthOf(view.job.jobId));
		if (view.job.valid) status = Math.max(status, widthOf(view.job.status));
		if (fleet && view.host) host = Math.max(host, widthOf(view.host));
	}
	return {id, status, host};
}

/** The job table: a title line and one line per visible job, never more rows than fit. */
export function JobTable({jobs, selection, width, height, now, sort, emptyMessage, glyphs, color, fleet = false}: JobTableProps) {
	const widths = layoutColumns(width, columnWants(jobs, fleet));
	const visible = jobs.slice(selection.firstVisible, selection.lastVisible + 1);
	const lines: KeyedLine[] = [{key: 'title', segments: headerSegments(widths, sort, glyphs)}];
	if (jobs.length === 0 && height > 0) lines.push({key: 'empty', segments: [{text: `  ${emptyMessage}`, dim: true}]});
	for (const [offset, view] of visible.entries()) {
		const selected = selection.firstVisible + offset === selection.index;
		lines.push({key: view.job.dir, segments: rowSegments(view, {widths, now, glyphs, color, selected}), inverse: selected});
	}
	return <Lines lines={lines} width={width} ellipsis={glyphs.ellipsis} color={color} />;
}
