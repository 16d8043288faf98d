import {describe, expect, it} from 'vitest';
import {initialJobTableState, needsPin, reduceJobTable, selectionOf, type JobTableState, type TableView} from '../../source/ui/job-table/use-job-table-state.js';

const dirs = (count: number) => Array.from({length: count}, (_, index) => `/jobs/j${index}`);

function moves(state: JobTableState, view: TableView, ...steps: number[]): JobTableState {
	return steps.reduce((current, by) => reduceJobTable(current, {type: 'move', by, view}), state);
}

describe('job table state', () => {
	it('selects the first job before any key', () => {
		const view = {dirs: dirs(3), height: 10};
		expect(selectionOf(initialJobTableState, view)).toEqual({index: 0, dir: '/jobs/j0', firstVisible: 0, lastVisible: 2});
	});

	it('has an empty window without jobs', () => {
		expect(selectionOf(initialJobTableState, {dirs: [], height: 10})).toMatchObject({dir: null, lastVisible: -1});
	});

	it('moves and stops at both ends', () => {
		const view = {dirs: dirs(3), height: 10};
		expect(selectionOf(moves(initialJobTableState, view, 1, 1, 1, 1), view).dir).toBe('/jobs/j2');
		expect(selectionOf(moves(initialJobTableState, view, 1, -5), view).dir).toBe('/jobs/j0');
	});

	it('scrolls only as far as it must to keep the selection visible', () => {
		const view = {dirs: dirs(100), height: 10};
		let state = moves(initialJobTableState, view, ...Array.from({length: 12}, () => 1));
		expect(selectionOf(state, view)).toMatchObject({index: 12, firstVisible: 3, lastVisible: 12});
		state = moves(state, view, -1, -1);
		// Still inside the window: no scroll.
		expect(selectionOf(state, view)).toMatchObject({index: 10, firstVisible: 3});
		state = moves(state, view, -8);
		expect(selectionOf(state, view)).toMatchObject({index: 2, firstVisible: 2, lastVisible: 11});
	});

	it('jumps to top and bottom, and by pages', () => {
		const view = {dirs: dirs(100), height: 10};
		let state = reduceJobTable(initialJobTableState, {type: 'moveTo', index: 99, view});
		expect(selectionOf(state, view)).toMatchObject({index: 99, firstVisible: 90, lastVisible: 99});
		state = reduceJobTable(state, {type: 'move', by: -10, view});
		expect(selectionOf(state, view)).toMatchObject({index: 89, firstVisible: 89});
		state = reduceJobTable(state, {type: 'moveTo', index: 0, view});
		expect(selectionOf(state, view)).toMatchObject({index: 0, firstVisible: 0});
	});

	it('follows the job, not the row, when the order changes', () => {
		const before = {dirs: ['/jobs/a', '/jobs/b', '/jobs/c'], height: 10};
		const state = moves(initialJobTableState, before, 1);
		expect(selectionOf(state, before).dir).toBe('/jobs/b');
		const after = {dirs: ['/jobs/c', '/jobs/a', '/jobs/b'], height: 10};
		expect(selectionOf(state, after)).toMatchObject({dir: '/jobs/b', index: 2});
		// Movement continues from where the job is now.
		expect(selectionOf(moves(state, after, -1), after).dir).toBe('/jobs/a');
	});

	it('keeps a job that moved out of the window visible', () => {
		const before = {dirs: dirs(50), height: 5};
		const state = moves(initialJobTableState, before, 1);
		const reordered = {dirs: [...before.dirs.filter(dir => dir !== '/jobs/j1'), '/jobs/j1'], height: 5};
		expect(selectionOf(state, reordered)).toMatchObject({dir: '/jobs/j1', index: 49, firstVisible: 45, lastVisible: 49});
	});

	it('falls back to the same row when the selected job goes away, and pins the new one', () => {
		const before = {dirs: ['/jobs/a', '/jobs/b', '/jobs/c'], height: 10};
		const state = moves(initialJobTableState, before, 1);
		const after = {dirs: ['/jobs/a', '/jobs/c'], height: 10};
		const selection = selectionOf(state, after);
		expect(selection).toMatchObject({dir: '/jobs/c', index: 1});
		expect(needsPin(state, selection)).toBe(true);
		const pinned = reduceJobTable(state, {type: 'pin', selection});
		expect(needsPin(pinned, selectionOf(pinned, after))).toBe(false);
		expect(selectionOf(pinned, {dirs: ['/jobs/b', '/jobs/c', '/jobs/a'], height: 10}).dir).toBe('/jobs/c');
	});

	it('cycles the sort and toggles the query', () => {
		let state = initialJobTableState;
		const orders = [];
		for (let index = 0; index < 5; index++) {
			state = reduceJobTable(state, {type: 'cycleSort'});
			orders.push(state.sort);
		}

		expect(orders).toEqual(['silence', 'id', 'cpu', 'mem', 'severity']);
		state = reduceJobTable(reduceJobTable(state, {type: 'toggleFaults'}), {type: 'setFilter', filter: 'abc'});
		expect(state).toMatchObject({faultsOnly: true, filter: 'abc'});
		expect(reduceJobTable(state, {type: 'clearQuery'})).toMatchObject({faultsOnly: false, filter: ''});
	});
});
