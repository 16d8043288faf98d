import {confirmDialogHeight} from './confirm/ConfirmDialog.js';
import {helpHeight} from './help/HelpOverlay.js';

/** Rows given to each part of the screen; their sum is at most rows - 1. */
export type Layout = {
	header: number;
	/** The table's title line: 1, or 0 when the table is not shown. */
	tableTitle: number;
	/** Job rows of the table (its title line not included). */
	tableRows: number;
	/** Lines of the detail view. */
	detailRows: number;
	/** Lines of the intervention log, its title included; 0 hides it. */
	log: number;
	/** Rows of the confirmation dialog, 0 when closed. */
	dialog: number;
	/** Rows of the help overlay, 0 when closed. */
	help: number;
	status: number;
	footer: number;
};

/** What the layout depends on. */
export type LayoutInput = {
	rows: number;
	screen: 'table' | 'detail';
	helpOpen: boolean;
	confirmOpen: boolean;
	/** Intervention log entries worth a line. */
	logEntries: number;
	/** Jobs the table lists (after the filter); with none it shows one line saying why. */
	jobs: number;
	/** Lines the header wants: 2, or 3 in the fleet view (its hosts). */
	headerLines?: number;
};

// The log's share when the jobs need every row; beyond it the log only takes rows the table leaves free.
const baseLogEntries = 4;
const minTableRows = 3;

/**
 * Share the terminal's rows. One row stays free: a frame as tall as the terminal makes Ink
 * clear the whole screen on every frame.
 */
export function layoutFor({rows, screen, helpOpen, confirmOpen, logEntries, jobs, headerLines = 2}: LayoutInput): Layout {
	let free = Math.max(0, rows - 1);
	const take = (wanted: number) => {
		const given = Math.max(0, Math.min(wanted, free));
		free -= given;
		return given;
	};

	const closed = {tableTitle: 0, tableRows: 0, log: 0, detailRows: 0};
	if (helpOpen) {
		// The footer's keys are all in the overlay, and the header's first line is what it explains:
		// the counts line and the footer give their rows to the help first.
		const status = take(1);
		const headerTop = take(1);
		const help = take(helpHeight);
		return {header: headerTop + take(1), footer: take(1), status, help, dialog: 0, ...closed};
	}

	const header = take(2);
	const footer = take(1);
	const status = take(1);
	// The fleet's hosts line only where the table keeps a few rows.
	const more = free - (headerLines - 2) >= minTableRows + 1 ? take(headerLines - 2) : 0;
	const dialog = confirmOpen ? take(confirmDialogHeight) : 0;
	if (screen === 'detail') return {header: header + more, footer, status, help: 0, dialog, ...closed, detailRows: take(free)};
	const tableTitle = take(1);
	const jobRows = Math.max(1, jobs);
	const baseLog = logEntries > 0 ? 1 + Math.min(logEntries, baseLogEntries) : 0;
	// The log shows only where the table keeps a few rows (or all it has).
	let log = free - baseLog >= Math.min(minTableRows, jobRows) ? baseLog : 0;
	if (log > 0) log += Math.max(0, Math.min(logEntries + 1 - log, free - log - jobRows));
	log = take(log);
	return {header: header + more, footer, status, help: 0, dialog, tableTitle, tableRows: take(free), log, detailRows: 0};
}
