import { confirmDialogHeight } from './confirm/ConfirmDialog.js';
import { helpHeight } from './help/HelpOverlay.js';
const maxLogEntries = 4;
const minTableRows = 3;
/**
 * Share the terminal's rows. One row stays free: a frame as tall as the terminal makes Ink
 * clear the whole screen on every frame.
 */
export function layoutFor({ rows, screen, helpOpen, confirmOpen, logEntries }) {
    let free = Math.max(0, rows - 1);
    const take = (wanted) => {
        const given = Math.max(0, Math.min(wanted, free));
        free -= given;
        return given;
    };
    const header = take(2);
    const footer = take(1);
    const status = take(1);
    const closed = { tableTitle: 0, tableRows: 0, log: 0, detailRows: 0 };
    if (helpOpen)
        return { header, footer, status, help: take(helpHeight), dialog: 0, ...closed };
    const dialog = confirmOpen ? take(confirmDialogHeight) : 0;
    if (screen === 'detail')
        return { header, footer, status, help: 0, dialog, ...closed, detailRows: take(free) };
    const tableTitle = take(1);
    const wantedLog = logEntries > 0 ? 1 + Math.min(logEntries, maxLogEntries) : 0;
    const log = free - wantedLog >= minTableRows ? take(wantedLog) : 0;
    return { header, footer, status, help: 0, dialog, tableTitle, tableRows: take(free), log, detailRows: 0 };
}
