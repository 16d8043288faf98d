import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {keysLabel, keysOf} from '../../source/ui/keymap.js';
import {makeFakeEngine, makeJob, makeSnapshot} from './fake-engine.js';
import {renderApp} from './render-app.js';

const jobs = () => [makeJob({id: 'held', paused: true}), makeJob({id: 'free'})];
const lines = (frame: string) => frame.split('\n');

// What a newcomer asked about: the header's actor/observer and n/m interventions/h, the paused mark.
const explained = [/^ actor: .*acts/, /^ observer: .*acts.*watches/, /^ ‖ before an id: a paused job/, /^ n\/m interventions\/h: .*last hour.*limit/];

describe('the help overlay', () => {
	it('at 80x24 lists every key and explains the header\'s terms and the paused mark, below the line it explains', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs(), interventionsLastHour: 2})), {columns: 80, rows: 24});
		await screen.press('?');
		const frame = lines(screen.frame());
		expect(frame.length).toBeLessThanOrEqual(23);
		for (const line of frame) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
		// The header line the terms come from stays in view.
		expect(frame[0]).toMatch(/auto on · actor · 2\/5 interventions\/h/);
		for (const entry of keysOf('main')) expect(frame.some(line => line.includes(` ${keysLabel(entry)} `) && line.includes(entry.description)), entry.command).toBe(true);
		for (const pattern of explained) expect(frame.some(line => pattern.test(line) && !line.endsWith('…')), String(pattern)).toBe(true);
		expect(frame.at(-1)).toContain('Any key closes this help');
	});

	it('on a tall terminal puts keys and terms under titles, with the footer back', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs()})), {columns: 120, rows: 40});
		await screen.press('?');
		const frame = lines(screen.frame());
		expect(frame).toContain(' Keys');
		expect(frame).toContain(' On the screen');
		expect(frame.indexOf(' Keys')).toBeLessThan(frame.indexOf(' On the screen'));
		for (const pattern of explained) expect(frame.some(line => pattern.test(line)), String(pattern)).toBe(true);
		expect(frame.at(-1)).toMatch(/^\? help .* q quit$/);
		expect(frame.length).toBeLessThanOrEqual(39);
	});

	it('names the paused mark as --ascii draws it', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs()})), {columns: 100, rows: 30, ascii: true});
		expect(lines(screen.frame()).find(line => line.includes('held'))).toMatch(/^.P held/);
		await screen.press('?');
		expect(lines(screen.frame())).toContainEqual(expect.stringMatching(/^ P before an id: a paused job/));
	});

	it('fits a 60x15 terminal, cut at its foot', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs()})), {columns: 60, rows: 15});
		await screen.press('?');
		const frame = lines(screen.frame());
		expect(frame.length).toBeLessThanOrEqual(14);
		for (const line of frame) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
		expect(frame[1]).toMatch(/^ \? +Show or hide this help/);
	});
});
