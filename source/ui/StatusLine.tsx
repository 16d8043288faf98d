import type {Glyphs} from './glyphs.js';
import type {TableQuery} from './job-table/order.js';
import {dialogHints} from './keymap.js';
import {Line, type Segment} from './Line.js';

export type StatusLineProps = {
	/** A transient message (an action's result), shown first. */
	message: string | null;
	/** True while the filter is being typed. */
	editingFilter: boolean;
	/** True while the help overlay is open. */
	helpOpen: boolean;
	/** The table's filter, faults-only switch and order. */
	query: TableQuery;
	/** How many jobs the table shows. */
	shown: number;
	/** How many jobs there are. */
	total: number;
	/** The newest of the engine's notices (watch fallbacks, clock jumps, lock waits). */
	notice: string | undefined;
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** The line above the footer: the filter being typed, else a message, else the view and the newest notice. */
export function statusSegments({message, editingFilter, helpOpen, query, shown, total, notice, glyphs}: Omit<StatusLineProps, 'width' | 'color'>): Segment[] {
	if (helpOpen) return [{text: 'Keys above. Any key closes this help; q quits.', bold: true}];
	if (editingFilter) return [{text: '/', bold: true}, {text: query.filter}, {text: '_', dim: true}, {text: `  ${dialogHints('filter')}`, dim: true}];
	if (message) return [{text: message, bold: true}];
	const parts = [`sort: ${query.sort}`];
	if (query.filter) parts.push(`filter: ${query.filter}`);
	if (query.faultsOnly) parts.push('faults only');
	if (shown !== total) parts.push(`${shown} of ${total} jobs shown`);
	const segments: Segment[] = [{text: parts.join(glyphs.separator), dim: true}];
	if (notice) segments.push({text: glyphs.separator, dim: true}, {text: notice, color: 'yellow'});
	return segments;
}

/** One line of state: what the table shows, the latest result, or the filter being typed. */
export function StatusLine(props: StatusLineProps) {
	return <Line segments={statusSegments(props)} width={props.width} ellipsis={props.glyphs.ellipsis} color={props.color} />;
}
