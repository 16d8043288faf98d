import {describe, expect, it} from 'vitest';
import {glyphsFor} from '../../source/ui/glyphs.js';
import {layoutColumns} from '../../source/ui/job-table/columns.js';
import {keptRowSegments} from '../../source/ui/job-table/kept-rows.js';
import {rowSegments} from '../../source/ui/job-table/row.js';
import {makeJob} from './fake-engine.js';
import {makeFleetJob} from './fake-fleet.js';

const glyphs = glyphsFor(false);
const widths = layoutColumns(120, {id: 10, status: 7, host: 6});
const context = (now: number, selected = false) => ({widths, now, glyphs, color: true, selected});

describe('kept rows', () => {
	it('gives a view whose row does not read the clock the same segments at a later frame', () => {
		const view = makeFleetJob('alpha', {id: 'j1', silenceMs: 5000, startedMs: null});
		const first = keptRowSegments(view, context(1000));
		expect(first).toEqual(rowSegments(view, context(1000)));
		expect(keptRowSegments(view, context(2000))).toBe(first);
		// Selected, or drawn at other widths: made again.
		const selected = keptRowSegments(view, context(2000, true));
		expect(selected).not.toBe(first);
		expect(selected).toEqual(rowSegments(view, context(2000, true)));
		expect(keptRowSegments(view, {...context(2000), widths: layoutColumns(100, {id: 10, status: 7, host: 6})})).not.toBe(selected);
	});

	it("makes the row again each frame when it shows the clock's time (an uptime)", () => {
		const view = makeJob({id: 'local', startedMs: 0});
		const local = (now: number) => ({...context(now), widths: layoutColumns(120, {id: 10, status: 7})});
		const first = keptRowSegments(view, local(60_000));
		const later = keptRowSegments(view, local(120_000));
		expect(later).not.toBe(first);
		expect(later).toEqual(rowSegments(view, local(120_000)));
		expect(later.map(segment => segment.text).join('')).toContain('2m');
	});
});
