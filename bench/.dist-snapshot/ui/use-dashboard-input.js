import { useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { sanitize } from '../text/sanitize.js';
import { confirmationFor } from './confirm/confirmation.js';
import { commandFor } from './keymap.js';
/** The status-line text for an action's audit entry. */
export function resultText(entry) {
    return `${entry.action} ${entry.job_id}: ${entry.result}${entry.reason ? ` (${entry.reason})` : ''}`;
}
function act(context, { action, target }) {
    const { engine, dispatch } = context;
    dispatch({ type: 'say', text: `${action} ${target.jobId}: in progress` });
    engine.act(action, target).then(entry => dispatch({ type: 'say', text: resultText(entry) }), (error) => dispatch({ type: 'say', text: `${action} ${target.jobId} failed: ${error instanceof Error ? error.message : String(error)}` }));
}
function handleFilterKey(context, input, key) {
    const { dispatch, tableDispatch, table } = context;
    if (key.return)
        dispatch({ type: 'closeOverlay' });
    else if (key.escape) {
        tableDispatch({ type: 'setFilter', filter: '' });
        dispatch({ type: 'closeOverlay' });
    }
    else if (key.backspace || key.delete)
        tableDispatch({ type: 'setFilter', filter: [...table.filter].slice(0, -1).join('') });
    else if (key.ctrl && input === 'c')
        context.onQuit();
    else if (input !== '' && !key.ctrl && !key.meta)
        tableDispatch({ type: 'setFilter', filter: table.filter + sanitize(input) });
}
function handleConfirmKey(context, confirmation, input, key) {
    const { dispatch } = context;
    if (input === 'y' && !key.ctrl) {
        dispatch({ type: 'closeOverlay' });
        act(context, confirmation);
    }
    else if (input === 'n' || key.escape || key.return) {
        dispatch({ type: 'closeOverlay' });
        dispatch({ type: 'say', text: `${confirmation.action} ${confirmation.target.jobId}: not done` });
    }
    else if (commandFor(input, key) === 'quit' && key.ctrl)
        context.onQuit();
}
const moves = {
    up: () => ({ by: -1 }),
    down: () => ({ by: 1 }),
    pageUp: page => ({ by: -Math.max(1, page) }),
    pageDown: page => ({ by: Math.max(1, page) }),
    top: () => ({ to: 0 }),
    bottom: (_page, count) => ({ to: count - 1 }),
};
function move(context, command) {
    const step = moves[command];
    if (!step)
        return;
    const { dashboard, dispatch, tableDispatch, tableView } = context;
    if (dashboard.screen === 'detail') {
        const delta = step(context.detailPage, context.detailMax + 1);
        const by = 'by' in delta ? delta.by : delta.to === 0 ? -Infinity : Infinity;
        dispatch({ type: 'scrollDetail', by, max: context.detailMax });
        return;
    }
    const delta = step(tableView.height, tableView.dirs.length);
    tableDispatch('by' in delta ? { type: 'move', by: delta.by, view: tableView } : { type: 'moveTo', index: delta.to, view: tableView });
}
function runCommand(context, command) {
    const { engine, snapshot, dashboard, dispatch, tableDispatch, table, current } = context;
    switch (command) {
        case 'quit': return context.onQuit();
        case 'help': return dispatch({ type: 'toggleHelp' });
        case 'detail': {
            if (dashboard.screen === 'table' && current)
                dispatch({ type: 'openDetail', dir: current.job.dir });
            return;
        }
        case 'back': {
            if (dashboard.screen === 'detail')
                dispatch({ type: 'closeDetail' });
            else if (table.filter || table.faultsOnly)
                tableDispatch({ type: 'clearQuery' });
            return;
        }
        case 'terminate':
        case 'recover': {
            if (!current)
                return dispatch({ type: 'say', text: 'no job selected' });
            const confirmation = confirmationFor(command, current);
            if ('refused' in confirmation)
                return dispatch({ type: 'say', text: confirmation.refused });
            return dispatch({ type: 'openConfirm', confirmation });
        }
        case 'auto': {
            engine.setAuto(!snapshot.auto);
            return dispatch({ type: 'say', text: `automatic action ${snapshot.auto ? 'off' : 'on'} for this instance` });
        }
        case 'pause': {
            if (!current)
                return dispatch({ type: 'say', text: 'no job selected' });
            engine.setPaused(current.job.jobId, !current.paused);
            return dispatch({ type: 'say', text: `${current.job.jobId}: automatic action ${current.paused ? 'resumed' : 'paused'}` });
        }
        case 'filter': {
            if (dashboard.screen === 'detail')
                dispatch({ type: 'closeDetail' });
            return dispatch({ type: 'startFilter' });
        }
        case 'faults': return tableDispatch({ type: 'toggleFaults' });
        case 'sort': return tableDispatch({ type: 'cycleSort' });
        default: return move(context, command);
    }
}
/** What one keypress does, given the dashboard as it is. */
export function handleKey(context, input, key) {
    const { overlay } = context.dashboard;
    if (overlay.kind === 'filter')
        return handleFilterKey(context, input, key);
    if (overlay.kind === 'confirm')
        return handleConfirmKey(context, overlay.confirmation, input, key);
    const command = commandFor(input, key);
    if (overlay.kind === 'help') {
        if (command === 'quit')
            context.onQuit();
        else
            context.dispatch({ type: 'closeOverlay' });
        return;
    }
    if (command)
        runCommand(context, command);
}
/** Keys from the terminal, through the keymap, to the dashboard's state and the engine. */
export function useDashboardInput(context) {
    const latest = useRef(context);
    latest.current = context;
    const handler = useCallback((input, key) => handleKey(latest.current, input, key), []);
    useInput(handler);
}
