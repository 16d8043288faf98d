import {useInput, type Key} from 'ink';
import {useCallback, useEffect, useRef, useState, type Dispatch} from 'react';
import type {EngineHandle, JobView, Snapshot} from '../sentinel/snapshot.js';
import {sanitize} from '../text/sanitize.js';
import {confirmationFor, resultText, type Confirmation} from '../sentinel/act/manual-action.js';
import type {JobTableAction, JobTableState, TableView} from './job-table/use-job-table-state.js';
import {fleetConfirmationFor} from './confirm/fleet-confirmation.js';
import {nextEvidenceFile} from './detail/use-evidence.js';
import {commandFor, type Command} from './keymap.js';
import type {DashboardAction, DashboardState} from './use-dashboard-state.js';

/** Everything a keypress may read or change. */
export type InputContext = {
	engine: EngineHandle;
	snapshot: Snapshot;
	onQuit: () => void;
	dashboard: DashboardState;
	dispatch: Dispatch<DashboardAction>;
	table: JobTableState;
	tableDispatch: Dispatch<JobTableAction>;
	/** The table as drawn: movement is relative to it. */
	tableView: TableView;
	/** The job keys act on: the selected row, or the job of the detail view. */
	current: JobView | undefined;
	/** The detail view's job's evidence files, newest first (jobEvidence): what `e` cycles through. */
	evidence: readonly string[];
	/** Rows of the detail view and its largest scroll. */
	detailPage: number;
	detailMax: number;
};

function act(context: InputContext, {action, target, host}: Confirmation): void {
	const {engine, dispatch} = context;
	const job = host === undefined ? target.jobId : `${target.jobId} on ${host}`;
	dispatch({type: 'say', text: `${action} ${job}: in progress`});
	engine.act(action, target).then(
		entry => dispatch({type: 'say', text: resultText({...entry, job_id: job})}),
		(error: unknown) => dispatch({type: 'say', text: `${action} ${job} failed: ${error instanceof Error ? error.message : String(error)}`}),
	);
}

/** Ctrl-C quits from any dialog; its other keys are the dialog's. */
const quitsFromDialog = (input: string, key: Key) => key.ctrl && commandFor(input, key) === 'quit';

function handleFilterKey(context: InputContext, input: string, key: Key): void {
	const {dispatch, tableDispatch, table} = context;
	const command = commandFor(input, key, 'filter');
	if (command === 'filterKeep') dispatch({type: 'closeOverlay'});
	else if (command === 'filterClear') {
		tableDispatch({type: 'setFilter', filter: ''});
		dispatch({type: 'closeOverlay'});
	} else if (command === 'filterErase') tableDispatch({type: 'setFilter', filter: [...table.filter].slice(0, -1).join('')});
	else if (quitsFromDialog(input, key)) context.onQuit();
	// Anything else typed is the filter's text.
	else if (input !== '' && !key.ctrl && !key.meta) tableDispatch({type: 'setFilter', filter: table.filter + sanitize(input)});
}

function handleConfirmKey(context: InputContext, confirmation: Confirmation, input: string, key: Key): void {
	const {dispatch} = context;
	const command = commandFor(input, key, 'confirm');
	if (command === 'confirmYes') {
		dispatch({type: 'closeOverlay'});
		act(context, confirmation);
	} else if (command === 'confirmNo') {
		dispatch({type: 'closeOverlay'});
		dispatch({type: 'say', text: `${confirmation.action} ${confirmation.target.jobId}: not done`});
	} else if (quitsFromDialog(input, key)) context.onQuit();
}

const moves: Partial<Record<Command, (page: number, count: number) => {by: number} | {to: number}>> = {
	up: () => ({by: -1}),
	down: () => ({by: 1}),
	pageUp: page => ({by: -Math.max(1, page)}),
	pageDown: page => ({by: Math.max(1, page)}),
	top: () => ({to: 0}),
	bottom: (_page, count) => ({to: count - 1}),
};

function move(context: InputContext, command: Command): void {
	const step = moves[command];
	if (!step) return;
	const {dashboard, dispatch, tableDispatch, tableView} = context;
	if (dashboard.screen === 'detail') {
		const delta = step(context.detailPage, context.detailMax + 1);
		const by = 'by' in delta ? delta.by : delta.to === 0 ? -Infinity : Infinity;
		dispatch({type: 'scrollDetail', by, max: context.detailMax});
		return;
	}

	const delta = step(tableView.height, tableView.dirs.length);
	tableDispatch('by' in delta ? {type: 'move', by: delta.by, view: tableView} : {type: 'moveTo', index: delta.to, view: tableView});
}

/** In the detail view: the evidence of the job's newest stop that kept one, then each older one (SPEC section 15). */
function openEvidence({snapshot, dashboard, dispatch, current, evidence}: InputContext): void {
	if (!current) return;
	if (snapshot.fleet) return dispatch({type: 'say', text: `evidence is kept on the job's host: sentinel-tui log --evidence ID there`});
	const file = nextEvidenceFile(evidence, dashboard.evidenceFile);
	if (file === null) return dispatch({type: 'say', text: `${current.job.jobId}: no evidence kept (only a stop that signals keeps it)`});
	dispatch({type: 'openEvidence', file});
}

function runCommand(context: InputContext, command: Command): void {
	const {engine, snapshot, dashboard, dispatch, tableDispatch, table, current} = context;
	switch (command) {
		case 'quit': return context.onQuit();
		case 'help': return dispatch({type: 'toggleHelp'});
		case 'detail': {
			if (dashboard.screen === 'table' && current) dispatch({type: 'openDetail', dir: current.job.dir});
			return;
		}

		case 'back': {
			if (dashboard.evidenceFile !== null) dispatch({type: 'closeEvidence'});
			else if (dashboard.screen === 'detail') dispatch({type: 'closeDetail'});
			else if (table.filter || table.faultsOnly) tableDispatch({type: 'clearQuery'});
			return;
		}

		case 'evidence': return openEvidence(context);
		case 'terminate':
		case 'recover': {
			if (!current) return dispatch({type: 'say', text: 'no job selected'});
			const confirmation = snapshot.fleet ? fleetConfirmationFor(command, current, snapshot.fleet) : confirmationFor(command, current);
			if ('refused' in confirmation) return dispatch({type: 'say', text: confirmation.refused});
			return dispatch({type: 'openConfirm', confirmation});
		}

		case 'auto': {
			if (snapshot.fleet) return dispatch({type: 'say', text: "auto does not apply in the fleet view: each host's sentinel acts on its own"});
			engine.setAuto(!snapshot.auto);
			return dispatch({type: 'say', text: `automatic action ${snapshot.auto ? 'off' : 'on'} for this instance`});
		}

		case 'pause': {
			if (!current) return dispatch({type: 'say', text: 'no job selected'});
			// The fleet names a job by its row (`job.dir`): one job id may be on several hosts.
			engine.setPaused(snapshot.fleet ? current.job.dir : current.job.jobId, !current.paused);
			const where = current.host === undefined ? '' : ` on ${current.host}`;
			return dispatch({type: 'say', text: `${current.job.jobId}${where}: automatic action ${current.paused ? 'resumed' : 'paused'}`});
		}

		case 'filter': {
			if (dashboard.screen === 'detail') dispatch({type: 'closeDetail'});
			return dispatch({type: 'startFilter'});
		}

		case 'faults': return tableDispatch({type: 'toggleFaults'});
		case 'sort': return tableDispatch({type: 'cycleSort'});
		default: return move(context, command);
	}
}

/** What one keypress does, given the dashboard as it is. */
export function handleKey(context: InputContext, input: string, key: Key): void {
	const {overlay} = context.dashboard;
	if (overlay.kind === 'filter') return handleFilterKey(context, input, key);
	if (overlay.kind === 'confirm') return handleConfirmKey(context, overlay.confirmation, input, key);
	const command = commandFor(input, key) ?? (context.dashboard.screen === 'detail' ? commandFor(input, key, 'detail') : undefined);
	if (overlay.kind === 'help') {
		if (command === 'quit') context.onQuit();
		else context.dispatch({type: 'closeOverlay'});
		return;
	}

	if (command) runCommand(context, command);
}

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/** One character as Ink reports it when it arrives alone. */
function keypressOf(character: string): [string, Key] {
	if (character === '\r' || character === '\n') return ['', {...noKey, return: true}];
	if (character === '\t') return ['', {...noKey, tab: true}];
	if (character === '\b') return ['', {...noKey, backspace: true}];
	if (character === '\u007F') return ['', {...noKey, delete: true}];
	const code = character.codePointAt(0)!;
	if (code >= 1 && code <= 26) return [String.fromCodePoint(code + 96), {...noKey, ctrl: true}];
	return [character, {...noKey, shift: /^[A-Z]$/.test(character)}];
}

/**
 * The keypresses in one input. Ink hands plain characters read at once (keys typed ahead while a
 * frame was drawn, a held `j`, keystrokes batched by SSH) over as one string, which matches no
 * key: each character is a key of its own. Escape sequences already arrive one by one.
 */
export function keypresses(input: string, key: Key): Array<[string, Key]> {
	const characters = [...input];
	if (characters.length < 2 || key.ctrl || key.meta) return [[input, key]];
	return characters.map(keypressOf);
}

/** Keys from the terminal, through the keymap, to the dashboard's state and the engine. */
export function useDashboardInput(context: InputContext): void {
	const latest = useRef(context);
	latest.current = context;
	const queue = useRef<Array<[string, Key]>>([]);
	const [turn, setTurn] = useState(0);
	const next = useCallback(() => {
		const press = queue.current.shift();
		if (!press) return;
		handleKey(latest.current, ...press);
		// Draw before the next key, so it meets the screen this one left (the `y` answers the
		// dialog its `x` opened); the effect below takes it once drawn. After a quit, none is.
		if (queue.current.length > 0) setTurn(value => value + 1);
	}, []);
	useEffect(() => {
		if (turn > 0) next();
	}, [turn, next]);
	const handler = useCallback(
		(input: string, key: Key) => {
			const waiting = queue.current.length > 0;
			queue.current.push(...keypresses(input, key));
			if (!waiting) next();
		},
		[next],
	);
	useInput(handler);
}
