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
};

const maxLogEntries = 4;
const minTableRows = 3;

/**
 * Share the terminal's rows. One row stays free: a frame as tall as the terminal makes Ink
 * clear the whole screen on every frame.
 */
export function layoutFor({rows, screen, helpOpen, confirmOpen, logEntries}: LayoutInput): Layout {
	let free = Math.max(0, rows - 1);
	const take = (wanted: number) => {
		const given = Math.max(0, Math.min(wanted, free));
		free -= given;
		return given;
	};

	const header = take(2);
	const footer = take(1);
	const status = take(1);
	const closed = {tableTitle: 0, tableRows: 0, log: 0, detailRows: 0};
	if (helpOpen) return {header, footer, status, help: take(helpHeight), dialog: 0, ...closed};
	const dialog = confirmOpen ? take(confirmDialogHeight) : 0;
	if (screen === 'detail') return {header, footer, status, help: 0, dialog, ...closed, detailRows: take(free)};
	const tableTitle = take(1);
	const wantedLog = logEntries > 0 ? 1 + Math.min(logEntries, maxLogEntries) : 0;
	const log = free - wantedLog >= minTableRows ? take(wantedLog) : 0;
	return {header, footer, status, help: 0, dialog, tableTitle, tableRows: take(free), log, detailRows: 0};
}
