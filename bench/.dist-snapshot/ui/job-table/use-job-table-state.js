import { useReducer } from 'react';
import { nextSortOrder } from './order.js';
export const initialJobTableState = {
    sort: 'severity',
    filter: '',
    faultsOnly: false,
    selectedDir: null,
    selectedIndex: 0,
    firstVisible: 0,
};
function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
}
/** The window around the selection: scrolls as little as possible from `firstVisible`. */
function windowAround(index, firstVisible, height, count) {
    if (height <= 0 || count === 0)
        return 0;
    let first = clamp(firstVisible, 0, Math.max(0, count - height));
    if (index < first)
        first = index;
    if (index >= first + height)
        first = index - height + 1;
    return first;
}
/** Resolve the selected job against the rows as they are now: the job wherever it went, else the same row. */
export function selectionOf(state, view) {
    const count = view.dirs.length;
    if (count === 0)
        return { index: 0, dir: null, firstVisible: 0, lastVisible: -1 };
    const found = state.selectedDir === null ? -1 : view.dirs.indexOf(state.selectedDir);
    const index = found === -1 ? clamp(state.selectedIndex, 0, count - 1) : found;
    const firstVisible = windowAround(index, state.firstVisible, view.height, count);
    const lastVisible = Math.min(count - 1, firstVisible + Math.max(0, view.height) - 1);
    return { index, dir: view.dirs[index] ?? null, firstVisible, lastVisible };
}
function select(state, view, index) {
    const current = selectionOf(state, view);
    const count = view.dirs.length;
    if (count === 0)
        return state;
    const target = clamp(index, 0, count - 1);
    return {
        ...state,
        selectedDir: view.dirs[target] ?? null,
        selectedIndex: target,
        firstVisible: windowAround(target, current.firstVisible, view.height, count),
    };
}
/** The pure reducer of the job table. */
export function reduceJobTable(state, action) {
    switch (action.type) {
        case 'move': {
            return select(state, action.view, selectionOf(state, action.view).index + action.by);
        }
        case 'moveTo': {
            return select(state, action.view, action.index);
        }
        case 'pin': {
            const { dir, index, firstVisible } = action.selection;
            return { ...state, selectedDir: dir, selectedIndex: index, firstVisible };
        }
        case 'setFilter': {
            return { ...state, filter: action.filter };
        }
        case 'toggleFaults': {
            return { ...state, faultsOnly: !state.faultsOnly };
        }
        case 'cycleSort': {
            return { ...state, sort: nextSortOrder(state.sort) };
        }
        case 'setSort': {
            return { ...state, sort: action.sort };
        }
        case 'clearQuery': {
            return { ...state, filter: '', faultsOnly: false };
        }
    }
}
/** True when the state does not yet record the selection as drawn (a new order, a job gone): pin it then. */
export function needsPin(state, selection) {
    if (selection.dir === null)
        return false;
    return selection.dir !== state.selectedDir || selection.index !== state.selectedIndex || selection.firstVisible !== state.firstVisible;
}
/** The job table's state and a dispatcher, for App. */
export function useJobTableState() {
    return useReducer(reduceJobTable, initialJobTableState);
}
