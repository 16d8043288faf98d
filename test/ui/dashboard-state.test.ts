import {describe, expect, it} from 'vitest';
import {confirmationFor} from '../../source/sentinel/act/manual-action.js';
import {statusAfter} from '../../source/sentinel/act/status-transitions.js';
import {initialDashboardState, reduceDashboard, type DashboardAction, type DashboardState} from '../../source/ui/use-dashboard-state.js';
import {makeInvalidJob, makeJob} from './fake-engine.js';

const run = (...actions: DashboardAction[]): DashboardState => actions.reduce(reduceDashboard, initialDashboardState);

describe('dashboard state', () => {
	it('opens and closes the detail view of a job', () => {
		const open = run({type: 'openDetail', dir: '/jobs/a'});
		expect(open).toMatchObject({screen: 'detail', detailDir: '/jobs/a', detailScroll: 0});
		expect(reduceDashboard(open, {type: 'closeDetail'})).toMatchObject({screen: 'table', detailDir: null});
	});

	it('clamps the detail scroll to its range', () => {
		expect(run({type: 'openDetail', dir: '/a'}, {type: 'scrollDetail', by: 50, max: 7}).detailScroll).toBe(7);
		expect(run({type: 'openDetail', dir: '/a'}, {type: 'scrollDetail', by: 3, max: 7}, {type: 'scrollDetail', by: -Infinity, max: 7}).detailScroll).toBe(0);
	});

	it('toggles help and closes any overlay', () => {
		expect(run({type: 'toggleHelp'}).overlay.kind).toBe('help');
		expect(run({type: 'toggleHelp'}, {type: 'toggleHelp'}).overlay.kind).toBe('none');
		expect(run({type: 'startFilter'}, {type: 'closeOverlay'}).overlay.kind).toBe('none');
	});

	it('clears only the message it was set for', () => {
		const said = run({type: 'say', text: 'one'}, {type: 'say', text: 'two'});
		expect(said.message?.text).toBe('two');
		expect(reduceDashboard(said, {type: 'clearMessage', id: said.message!.id - 1}).message?.text).toBe('two');
		expect(reduceDashboard(said, {type: 'clearMessage', id: said.message!.id}).message).toBeNull();
	});
});

describe('confirmation', () => {
	it('captures the job and process as they are when it opens', () => {
		const confirmation = confirmationFor('terminate', makeJob({id: 'a', pid: 777, command: 'make test'}));
		expect(confirmation).toMatchObject({
			action: 'terminate',
			command: 'make test',
			target: {jobId: 'a', dir: '/jobs/a', pid: 777},
			outcome: 'SIGTERM the tree, SIGKILL after grace; status -> INTERVENTION_REQUIRED',
		});
	});

	it('names the root process when the manifest has no command', () => {
		expect(confirmationFor('recover', makeJob({id: 'a', command: null}))).toMatchObject({command: 'python'});
	});

	it('says where recover sends the status, and when nothing is signalled', () => {
		expect(statusAfter('recover', 'reviewing')).toBe('REVIEW_REQUIRED');
		expect(statusAfter('recover', 'RUNNING')).toBe('PENDING');
		expect(statusAfter('recover', 'RECOVERING')).toBe('INTERVENTION_REQUIRED');
		expect(confirmationFor('recover', makeJob({id: 'a'}))).toMatchObject({outcome: 'status -> PENDING, then stop the tree (SIGTERM, SIGKILL after grace)'});
		expect(confirmationFor('recover', makeJob({id: 'a', pid: null}))).toMatchObject({outcome: expect.stringContaining('no process to signal')});
	});

	it('refuses invalid jobs', () => {
		expect(confirmationFor('terminate', makeInvalidJob('bad', 'not JSON'))).toEqual({refused: 'bad is invalid (not JSON): never acted on'});
	});
});
