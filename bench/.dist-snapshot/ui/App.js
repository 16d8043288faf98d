import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Box } from 'ink';
import { useEffect, useMemo } from 'react';
import { ConfirmDialog } from './confirm/ConfirmDialog.js';
import { detailLines } from './detail/detail-lines.js';
import { JobDetail, maxDetailScroll } from './detail/JobDetail.js';
import { useOutputTail } from './detail/use-output-tail.js';
import { Footer } from './Footer.js';
import { glyphsFor } from './glyphs.js';
import { Header } from './header/Header.js';
import { HelpOverlay } from './help/HelpOverlay.js';
import { InterventionLog, logEntries } from './intervention-log/InterventionLog.js';
import { JobTable } from './job-table/JobTable.js';
import { visibleJobs } from './job-table/order.js';
import { needsPin, selectionOf, useJobTableState } from './job-table/use-job-table-state.js';
import { layoutFor } from './layout.js';
import { StatusLine } from './StatusLine.js';
import { colorWanted } from './theme.js';
import { useDashboardInput } from './use-dashboard-input.js';
import { useDashboardState } from './use-dashboard-state.js';
import { useEngineSnapshot } from './use-engine-snapshot.js';
import { useTerminalSize } from './use-terminal-size.js';
function emptyMessage(snapshot) {
    if (!snapshot.jobsDirExists)
        return `waiting for ${snapshot.jobsDir}; add a job with: sentinel-tui run -- CMD`;
    if (snapshot.jobs.length === 0)
        return `no jobs in ${snapshot.jobsDir}; add one with: sentinel-tui run -- CMD`;
    return 'no job matches the filter (Esc clears it)';
}
/** The dashboard: header, job table or detail view, intervention log, status line and key hints. */
export function App({ engine, ascii, color = colorWanted(), onQuit }) {
    const snapshot = useEngineSnapshot(engine);
    const { columns, rows } = useTerminalSize();
    const [table, tableDispatch] = useJobTableState();
    const [dashboard, dispatch] = useDashboardState();
    const glyphs = glyphsFor(ascii);
    const now = snapshot.generatedAt;
    const jobs = useMemo(() => visibleJobs(snapshot.jobs, table, now), [snapshot.jobs, table.sort, table.filter, table.faultsOnly, now]);
    const dirs = useMemo(() => jobs.map(view => view.job.dir), [jobs]);
    const log = useMemo(() => logEntries(snapshot.recentAudit, 4), [snapshot.recentAudit]);
    const layout = layoutFor({
        rows,
        screen: dashboard.screen,
        helpOpen: dashboard.overlay.kind === 'help',
        confirmOpen: dashboard.overlay.kind === 'confirm',
        logEntries: log.length,
    });
    const tableView = { dirs, height: layout.tableRows };
    const selection = selectionOf(table, tableView);
    useEffect(() => {
        if (needsPin(table, selection))
            tableDispatch({ type: 'pin', selection });
    });
    const detailView = dashboard.detailDir === null ? undefined : snapshot.jobs.find(view => view.job.dir === dashboard.detailDir);
    const output = useOutputTail(detailView?.job.dir ?? null, snapshot.generatedAt);
    const detail = useMemo(() => {
        if (!detailView)
            return [];
        const audit = snapshot.recentAudit.filter(entry => entry.job_id === detailView.job.jobId);
        return detailLines({ view: detailView, audit, output, now, width: columns, glyphs, color });
    }, [detailView, snapshot.recentAudit, output, now, columns, glyphs, color]);
    const detailMax = maxDetailScroll(detail.length, layout.detailRows);
    const current = dashboard.screen === 'detail' ? detailView : jobs[selection.index];
    useDashboardInput({ engine, snapshot, onQuit, dashboard, dispatch, table, tableDispatch, tableView, current, detailPage: layout.detailRows, detailMax });
    const { overlay } = dashboard;
    const body = () => {
        if (overlay.kind === 'help')
            return _jsx(HelpOverlay, { width: columns, height: layout.help, glyphs: glyphs, color: color });
        if (dashboard.screen === 'detail') {
            if (!detailView)
                return _jsx(JobDetail, { lines: [[{ text: 'That job is gone from the jobs directory. Esc goes back.' }]], scroll: 0, height: layout.detailRows, width: columns, glyphs: glyphs, color: color });
            return _jsx(JobDetail, { lines: detail, scroll: Math.min(dashboard.detailScroll, detailMax), height: layout.detailRows, width: columns, glyphs: glyphs, color: color });
        }
        if (layout.tableTitle === 0)
            return null;
        return _jsx(JobTable, { jobs: jobs, selection: selection, width: columns, height: layout.tableRows, now: now, sort: table.sort, emptyMessage: emptyMessage(snapshot), glyphs: glyphs, color: color });
    };
    // No fixed widths on boxes: after a resize Ink lays the old frame out at the new width (cutting,
    // not wrapping, its lines) until this component draws again.
    return (_jsxs(Box, { flexDirection: "column", children: [layout.header > 0 ? _jsx(Header, { snapshot: snapshot, width: columns, height: layout.header, glyphs: glyphs, color: color }) : null, body(), overlay.kind === 'confirm' && layout.dialog > 0 ? _jsx(ConfirmDialog, { confirmation: overlay.confirmation, width: columns, glyphs: glyphs, color: color }) : null, _jsx(InterventionLog, { entries: snapshot.recentAudit, height: layout.log, width: columns, glyphs: glyphs, color: color }), layout.status > 0 ? (_jsx(StatusLine, { message: dashboard.message?.text ?? null, editingFilter: overlay.kind === 'filter', helpOpen: overlay.kind === 'help', query: table, shown: jobs.length, total: snapshot.jobs.length, notice: snapshot.notices.at(-1), width: columns, glyphs: glyphs, color: color })) : null, layout.footer > 0 ? _jsx(Footer, { width: columns, glyphs: glyphs, color: color }) : null] }));
}
