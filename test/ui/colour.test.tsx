import {afterAll, describe, expect, it, vi} from 'vitest';
import {makeFakeEngine, makeInvalidJob, makeJob, makeSnapshot} from './fake-engine.js';
import {renderApp} from './render-app.js';

// Ink's chalk decides its colour level when it loads: force colour before anything imports it.
vi.hoisted(() => {
	process.env['FORCE_COLOR'] = '1';
});

afterAll(() => {
	delete process.env['FORCE_COLOR'];
});

const jobs = [makeJob({id: 'on-fire', severity: 'critical'}), makeJob({id: 'fine', severity: 'ok'}), makeInvalidJob('broken', 'not JSON')];
const red = '\u001B[31m';
const green = '\u001B[32m';
const inverse = '\u001B[7m';

describe('colour', () => {
	it('colours severities when colour is on', async () => {
		const frame = (await renderApp(makeFakeEngine(makeSnapshot({jobs})), {color: true})).frame();
		expect(frame).toContain(`${red}`);
		expect(frame).toContain(`${green}ok`);
		expect(frame).toMatch(/\u001B\[7m.*critical/);
	});

	it('drops every colour under NO_COLOR but keeps the text, and critical stays inverse', async () => {
		const frame = (await renderApp(makeFakeEngine(makeSnapshot({jobs})), {color: false})).frame();
		expect(frame).not.toMatch(/\u001B\[(3\d|9\d|4\d|10\d)(;\d+)*m/);
		expect(frame).toContain(inverse);
		for (const text of ['critical', 'ok', 'invalid', 'not JSON']) expect(frame).toContain(text);
	});
});
