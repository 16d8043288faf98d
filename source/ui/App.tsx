import {Box} from 'ink';
import {useEffect, useMemo} from 'react';
import type {EngineHandle, Snapshot} from '../sentinel/snapshot.js';
import {ConfirmDialog} from './confirm/ConfirmDialog.js';
import {detailLines} from './detail/detail-lines.js';
import {fleetDetailLines} from './detail/fleet-detail-lines.js';
import {JobDetail, maxDetailScroll} from './detail/JobDetail.js';
import {jobEvidence, useEvidence, useEvidenceFolder} from './detail/use-evidence.js';
import {useFleetHistory} from './detail/use-fleet-history.js';
import {useOutputTail} from './detail/use-output-tail.js';
import {Footer} from './Footer.js';
import {notInFleet} from './keymap.js';
import {glyphsFor} from './glyphs.js';
import {Header, headerLines} from './header/Header.js';
import {HelpOverlay} from './help/HelpOverlay.js';
import {entryHost, InterventionLog, logEntries} from './intervention-log/InterventionLog.js';
import {JobTable} from './job-table/JobTable.js';
import {visibleJobs} from './job-table/order.js';
import {needsPin, selectionOf, useJobTableState} from './job-table/use-job-table-state.js';
import {layoutFor} from './layout.js';
import {StatusLine} from './StatusLine.js';
import {colorWanted} from './theme.js';
import {useDashboardInput} from './use-dashboard-input.js';
import {useDashboardState} from './use-dashboard-state.js';
import {useEngineSnapshot} from './use-engine-snapshot.js';
import {useTerminalSize} from './use-terminal-size.js';

export type AppProps = {
	/** The engine to draw; the screen only reads its snapshots and sends it commands. */
	engine: EngineHandle;
	/** Draw with ASCII only: borders, marks, sparklines and ellipses. */
	ascii: boolean;
	/** Colours on; defaults to the environment (NO_COLOR off, FORCE_COLOR on). */
	color?: boolean;
	/** Called on `q` or Ctrl-C; the caller unmounts and restores the terminal. */
	onQuit: () => void;
};

function emptyMessage(snapshot: Snapshot): string {
	const {fleet} = snapshot;
	if (fleet && snapshot.jobs.length === 0) return fleet.refreshedMs === null ? `asking ${fleet.prometheus} ...` : 'no jobs on any host Prometheus scrapes';
	// Before the engine's first pass nothing is known yet, not even whether the directory exists.
	if (snapshot.tick === 0) return `reading ${snapshot.jobsDir} ...`;
	if (!snapshot.jobsDirExists) return `waiting for ${snapshot.jobsDir}; add a job with: sentinel-tui run -- CMD`;
	if (snapshot.jobs.length === 0) return `no jobs in ${snapshot.jobsDir}; add one with: sentinel-tui run -- CMD`;
	return 'no job matches the filter (Esc clears it)';
}

/** The dashboard: header, job table or detail view, intervention log, status line and key hints. */
export function App({engine, ascii, color = colorWanted(), onQuit}: AppProps) {
	const snapshot = useEngineSnapshot(engine);
	const {columns, rows} = useTerminalSize();
	const [table, tableDispatch] = useJobTableState();
	const [dashboard, dispatch] = useDashboardState();
	const glyphs = glyphsFor(ascii);
	const now = snapshot.generatedAt;

	const jobs = useMemo(() => visibleJobs(snapshot.jobs, table, now), [snapshot.jobs, table.sort, table.filter, table.faultsOnly, now]);
	const dirs = useMemo(() => jobs.map(view => view.job.dir), [jobs]);
	const log = useMemo(() => logEntries(snapshot.recentAudit, snapshot.recentAudit.length), [snapshot.recentAudit]);
	const layout = layoutFor({
		rows,
		screen: dashboard.screen,
		helpOpen: dashboard.overlay.kind === 'help',
		confirmOpen: dashboard.overlay.kind === 'confirm',
		logEntries: log.length,
		jobs: jobs.length,
		headerLines: headerLines(snapshot),
	});
	const tableView = {dirs, height: layout.tableRows};
	const selection = selectionOf(table, tableView);
	useEffect(() => {
		if (needsPin(table, selection)) tableDispatch({type: 'pin', selection});
	});

	const detailView = dashboard.detailDir === null ? undefined : snapshot.jobs.find(view => view.job.dir === dashboard.detailDir);
	const {fleet} = snapshot;
	// A fleet job's directory is on its host, not here: nothing local is read for it.
	const output = useOutputTail(fleet ? null : (detailView?.job.dir ?? null), snapshot.generatedAt);
	useFleetHistory(engine, fleet ? dashboard.detailDir : null);
	const audit = useMemo(
		() => (detailView ? snapshot.recentAudit.filter(entry => entry.job_id === detailView.job.jobId && (!fleet || entryHost(entry) === detailView.host)) : []),
		[detailView, snapshot.recentAudit, fleet],
	);
	// The job's evidence: what its entries held here name, and its folder, read once the view opens.
	const kept = useEvidenceFolder(fleet || !detailView ? null : detailView.job.dir);
	const files = useMemo(() => jobEvidence(audit, kept), [audit, kept]);
	const detail = useMemo(() => {
		if (!detailView) return [];
		if (fleet) return fleetDetailLines({view: detailView, fleet, audit, now, width: columns, glyphs, color});
		return detailLines({view: detailView, audit, evidence: files, output, now, width: columns, glyphs, color});
	}, [detailView, audit, files, fleet, output, now, columns, glyphs, color]);
	// The evidence of one of the job's stops, when `e` opened it, stands in for the job's lines.
	const evidence = useEvidence(detailView ? dashboard.evidenceFile : null, files);
	const shown = evidence ?? detail;
	const detailMax = maxDetailScroll(shown.length, layout.detailRows);

	const current = dashboard.screen === 'detail' ? detailView : jobs[selection.index];
	useDashboardInput({engine, snapshot, onQuit, dashboard, dispatch, table, tableDispatch, tableView, current, evidence: files, detailPage: layout.detailRows, detailMax});

	const {overlay} = dashboard;
	const body = () => {
		if (overlay.kind === 'help') return <HelpOverlay width={columns} height={layout.help} glyphs={glyphs} color={color} fleet={fleet !== undefined} />;
		if (dashboard.screen === 'detail') {
			if (!detailView) return <JobDetail lines={[[{text: 'That job is gone from the jobs directory. Esc goes back.'}]]} scroll={0} height={layout.detailRows} width={columns} glyphs={glyphs} color={color} />;
			return <JobDetail lines={shown} scroll={Math.min(dashboard.detailScroll, detailMax)} height={layout.detailRows} width={columns} glyphs={glyphs} color={color} />;
		}

		if (layout.tableTitle === 0) return null;
		return <JobTable jobs={jobs} selection={selection} width={columns} height={layout.tableRows} now={now} sort={table.sort} emptyMessage={emptyMessage(snapshot)} glyphs={glyphs} color={color} fleet={fleet !== undefined} />;
	};

	// No fixed widths on boxes: after a resize Ink lays the old frame out at the new width (cutting,
	// not wrapping, its lines) until this component draws again.
	return (
		<Box flexDirection="column">
			{layout.header > 0 ? <Header snapshot={snapshot} width={columns} height={layout.header} glyphs={glyphs} color={color} /> : null}
			{body()}
			{overlay.kind === 'confirm' && layout.dialog > 0 ? <ConfirmDialog confirmation={overlay.confirmation} width={columns} glyphs={glyphs} color={color} /> : null}
			<InterventionLog entries={snapshot.recentAudit} height={layout.log} width={columns} glyphs={glyphs} color={color} showHost={fleet !== undefined} />
			{layout.status > 0 ? (
				<StatusLine
					message={dashboard.message?.text ?? null}
					editingFilter={overlay.kind === 'filter'}
					helpOpen={overlay.kind === 'help'}
					query={table}
					shown={jobs.length}
					total={snapshot.jobs.length}
					notice={snapshot.notices.at(-1)}
					width={columns}
					glyphs={glyphs}
					color={color}
				/>
			) : null}
			{layout.footer > 0 ? <Footer width={columns} glyphs={glyphs} color={color} leaveOut={snapshot.fleet ? notInFleet : undefined} /> : null}
		</Box>
	);
}
