import type {JobView} from '../../sentinel/snapshot.js';
import type {JobRecord} from '../../types.js';
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

type Measured = {id: number; status: number; host: string | undefined; hostWidth: number};

// A job's record outlives its views while its manifest (in the fleet view, its labels) stays the
// same: measured once, not on every frame (3,000 widths a frame for the fleet's 1,000 jobs).
const measuredRecords = new WeakMap<JobRecord, Measured>();

function measured(view: JobView): Measured {
	const {job} = view;
	let found = measuredRecords.get(job);
	if (!found) measuredRecords.set(job, (found = {id: widthOf(job.jobId), status: job.valid ? widthOf(job.status) : 0, host: undefined, hostWidth: 0}));
	if (found.host !== view.host) {
		found.host = view.host;
		found.hostWidth = view.host ? widthOf(view.host) : 0;
	}
	return found;
}

/** How wide the ids, statuses and hosts of `jobs` are, so the columns can be as wide as they need. */
export function columnWants(jobs: readonly JobView[], fleet: boolean): ColumnWants {
	let id = 2;
	let status = 0;
	// In the fleet view the HOST column is there even for one short host name: at least its title.
	let host = fleet ? 4 : 0;
	for (const view of jobs) {
		const widths = measured(view);
		id = Math.max(id, widths.id);
		status = Math.max(status, widths.status);
		if (fleet) host = Math.max(host, widths.hostWidth);
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
