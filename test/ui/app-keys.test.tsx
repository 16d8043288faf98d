import {describe, expect, it} from 'vitest';
import {footerHints, keysLabel, keysOf} from '../../source/ui/keymap.js';
import {makeAudit, makeFakeEngine, makeInvalidJob, makeJob, makeSnapshot} from './fake-engine.js';
import {keys, renderApp} from './render-app.js';

const selectedLine = (frame: string) => frame.split('\n').find(line => line.startsWith('›')) ?? '';
const jobIds = (frame: string) => frame.split('\n').filter(line => /^[› ][‖ ] \S/.test(line) && !line.includes('ID ')).map(line => line.slice(3).split(' ')[0]);

const threeJobs = () => [
	makeJob({id: 'alpha', severity: 'ok', silenceMs: 10_000, status: 'RUNNING', cpu: 1}),
	makeJob({id: 'bravo', severity: 'high', silenceMs: 2_000_000, status: 'REVIEWING', description: 'refactor the parser', cpu: 50}),
	makeJob({id: 'charlie', severity: 'low', silenceMs: 900_000, cpu: 99}),
];

describe('keys', () => {
	it('filters by typed text; Enter keeps the filter, Esc clears it', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: threeJobs()})));
		await screen.press('/', 'p', 'a', 'r');
		expect(jobIds(screen.frame())).toEqual(['bravo']);
		expect(screen.frame()).toContain('/par');
		await screen.press(keys.backspace);
		expect(screen.frame()).toContain('/pa');
		await screen.press('r', keys.enter);
		expect(jobIds(screen.frame())).toEqual(['bravo']);
		expect(screen.frame()).toContain('filter: par');
		// Keys work again once the filter is kept: j is a move, not text.
		await screen.press('j');
		expect(screen.frame()).toContain('filter: par');
		await screen.press('/', keys.escape);
		expect(jobIds(screen.frame())).toEqual(['bravo', 'charlie', 'alpha']);
	});

	it('shows faults only with f, and sorts with s', async () => {
		const jobs = [...threeJobs(), makeInvalidJob('delta', 'bad pid')];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs})));
		expect(jobIds(screen.frame())).toEqual(['bravo', 'delta', 'charlie', 'alpha']);
		await screen.press('f');
		expect(jobIds(screen.frame())).toEqual(['bravo', 'delta', 'charlie']);
		expect(screen.frame()).toContain('faults only');
		await screen.press('f', 's');
		expect(screen.frame()).toMatch(/SILENT▾/);
		await screen.press('s');
		expect(jobIds(screen.frame())).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
		await screen.press('s');
		expect(jobIds(screen.frame())[0]).toBe('charlie');
	});

	it('keeps the selection on its job when the order changes', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: threeJobs()}));
		const screen = await renderApp(engine);
		await screen.press('j');
		expect(selectedLine(screen.frame())).toContain('charlie');
		engine.setSnapshot(makeSnapshot({tick: 2, jobs: [makeJob({id: 'alpha', severity: 'critical'}), ...threeJobs().slice(1)]}));
		await screen.settle();
		expect(jobIds(screen.frame())).toEqual(['alpha', 'bravo', 'charlie']);
		expect(selectedLine(screen.frame())).toContain('charlie');
	});

	it('asks before terminating: No by default, Enter does not act', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: threeJobs()}));
		const screen = await renderApp(engine);
		await screen.press('x');
		expect(screen.frame()).toContain('Terminate job bravo?');
		expect(screen.frame()).toContain('pid 4242');
		expect(screen.frame()).toContain('python train.py');
		expect(screen.frame()).toContain('SIGTERM the tree, SIGKILL after grace; status -> INTERVENTION_REQUIRED');
		await screen.press(keys.enter);
		expect(screen.frame()).not.toContain('Terminate job bravo?');
		await screen.press('r', 'n', 'x', keys.escape, 'x', 'q');
		expect(engine.acts).toEqual([]);
		expect(screen.quits()).toBe(0);
	});

	it('acts on y with the job and process captured when the confirmation opened', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: threeJobs()}), target => makeAudit({job_id: target.jobId, action: 'recover', result: 'ok', reason: 'status PENDING, 1 process stopped'}));
		const screen = await renderApp(engine);
		await screen.press('r');
		expect(screen.frame()).toContain('Recover job bravo?');
		expect(screen.frame()).toContain('status -> REVIEW_REQUIRED, then stop the tree');
		// Meanwhile the order changes and bravo gets a new process: the action still goes to what was shown.
		engine.setSnapshot(makeSnapshot({tick: 2, jobs: [makeJob({id: 'alpha', severity: 'critical'}), makeJob({id: 'bravo', pid: 9999}), threeJobs()[2]!]}));
		await screen.press('y');
		expect(engine.acts).toEqual([{action: 'recover', target: {jobId: 'bravo', dir: '/jobs/bravo', pid: 4242, processStartMs: expect.any(Number)}}]);
		await screen.settle();
		expect(screen.frame()).toContain('recover bravo: ok (status PENDING, 1 process stopped)');
	});

	it('refuses to act on an invalid job', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: [makeInvalidJob('bad', 'not JSON')]}));
		const screen = await renderApp(engine);
		await screen.press('x');
		expect(screen.frame()).toContain('bad is invalid (not JSON): never acted on');
		expect(screen.frame()).not.toContain('Terminate job');
	});

	it('turns auto off and on, pauses the selected job, and quits', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: threeJobs(), auto: true}));
		const screen = await renderApp(engine);
		await screen.press('a');
		expect(engine.autos).toEqual([false]);
		engine.setSnapshot(makeSnapshot({jobs: [makeJob({id: 'bravo', severity: 'high', paused: true})], auto: false}));
		await screen.settle();
		await screen.press('a', 'p');
		expect(engine.autos).toEqual([false, true]);
		expect(engine.pauses).toEqual([{jobId: 'bravo', paused: false}]);
		await screen.press('q');
		expect(screen.quits()).toBe(1);
		await screen.press('\u0003');
		expect(screen.quits()).toBe(2);
	});

	it('lists every binding of the keymap in the help overlay, and the footer agrees with it', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: threeJobs()})), {columns: 80, rows: 24});
		const footer = screen.frame().split('\n').at(-1)!;
		await screen.press('?');
		const help = screen.frame();
		for (const entry of keysOf('main')) {
			const line = help.split('\n').find(candidate => candidate.includes(` ${keysLabel(entry)} `));
			expect(line, entry.command).toBeDefined();
			expect(line).toContain(entry.description);
		}

		const wide = await renderApp(makeFakeEngine(makeSnapshot({jobs: threeJobs()})), {columns: 200});
		const wideFooter = wide.frame().split('\n').at(-1)!;
		expect(wideFooter).toBe(footerHints().map(({keys, hint}) => `${keys.join('/')} ${hint}`).join('  '));
		// At 80 columns some hints give way, whole: the rest are the wide footer's, in its order, quit still last.
		const hintsOf = (line: string) => line.split('  ');
		expect(hintsOf(wideFooter).filter(hint => hintsOf(footer).includes(hint))).toEqual(hintsOf(footer));
		expect(footer).toMatch(/^\? help .* q quit$/);
		await screen.press('j');
		expect(screen.frame()).not.toContain(keysOf('main').at(-1)!.description);
	});
});
