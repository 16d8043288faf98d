import {describe, expect, it} from 'vitest';
import {fitSegments} from '../../source/ui/Line.js';
import {formatCompactDuration, formatPercent} from '../../source/ui/format.js';
import {glyphsFor} from '../../source/ui/glyphs.js';
import {layoutColumns, rowWidth} from '../../source/ui/job-table/columns.js';
import {sparkline} from '../../source/ui/sparkline.js';
import {fitTo, truncate, widthOf} from '../../source/ui/text.js';
import {colorWanted, severityStyle} from '../../source/ui/theme.js';

describe('truncate', () => {
	it('leaves short text alone and cuts long text with the ellipsis', () => {
		expect(truncate('short', 10, '…')).toBe('short');
		expect(truncate('a long job id', 8, '…')).toBe('a long …');
		expect(truncate('a long job id', 8, '...')).toBe('a lon...');
		expect(truncate('abc', 2, '...')).toBe('..');
		expect(truncate('abc', 0, '…')).toBe('');
	});

	it('counts wide characters as two columns and never splits one', () => {
		const cut = truncate('日本語のジョブ', 7, '…');
		expect(widthOf(cut)).toBeLessThanOrEqual(7);
		expect(cut).toBe('日本語…');
		expect(widthOf(fitTo('日本語のジョブ', 6, '...'))).toBe(6);
	});

	it('pads to an exact width on either side', () => {
		expect(fitTo('12', 5, '…', 'right')).toBe('   12');
		expect(fitTo('ab', 4, '…')).toBe('ab  ');
	});

	it('cuts styled segments at the width and sanitizes each', () => {
		const fitted = fitSegments([{text: 'abc', bold: true}, {text: 'de\u001B[31mfgh'}], 6, '...');
		expect(fitted.map(segment => segment.text).join('')).toBe('abc...');
		expect(fitSegments([{text: 'x\u0007y'}], 10, '…')).toEqual([{text: 'xy'}]);
	});
});

describe('sparkline', () => {
	it('draws unicode blocks scaled to the maximum, newest at the right', () => {
		const {spark} = glyphsFor(false);
		expect(sparkline([0, 25, 50, 75, 100], 5, spark, 100)).toBe('▁▃▅▆█');
		expect(sparkline([100], 4, spark, 100)).toBe('   █');
		expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 3, spark)).toBe('▆▇█');
	});

	it('draws ASCII levels in ASCII mode', () => {
		const line = sparkline([0, 50, 100], 3, glyphsFor(true).spark, 100);
		expect(line).toBe('_-#');
		expect(/^[\u0020-\u007E]*$/.test(line)).toBe(true);
	});

	it('stays at the bottom for all zeros and at nothing for no width', () => {
		expect(sparkline([0, 0], 2, glyphsFor(false).spark)).toBe('▁▁');
		expect(sparkline([1, 2], 0, glyphsFor(false).spark)).toBe('');
	});
});

describe('formats', () => {
	it('writes durations compactly with two units at most', () => {
		expect(formatCompactDuration(42_000)).toBe('42s');
		expect(formatCompactDuration(252_000)).toBe('4m12s');
		expect(formatCompactDuration(3_720_000)).toBe('1h02m');
		expect(formatCompactDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d04h');
		expect(formatCompactDuration(null)).toBe('-');
		expect(formatCompactDuration(-5)).toBe('-');
		expect(formatPercent(12.6)).toBe('13%');
		expect(formatPercent(null)).toBe('-');
	});
});

describe('columns', () => {
	it('never take more than the terminal width from 72 columns up', () => {
		for (let width = 72; width <= 300; width++) expect(rowWidth(layoutColumns(width)), `width ${width}`).toBeLessThanOrEqual(width);
	});

	it('give sparklines room at 80 columns and more on wide screens', () => {
		expect(layoutColumns(80).spark).toBeGreaterThanOrEqual(3);
		expect(layoutColumns(200).spark).toBeGreaterThan(layoutColumns(100).spark);
		expect(layoutColumns(80).id).toBeGreaterThanOrEqual(10);
	});
});

describe('colour', () => {
	it('follows NO_COLOR unless FORCE_COLOR says otherwise', () => {
		expect(colorWanted({})).toBe(true);
		expect(colorWanted({NO_COLOR: '1'})).toBe(false);
		expect(colorWanted({NO_COLOR: ''})).toBe(true);
		expect(colorWanted({NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(true);
		expect(colorWanted({NO_COLOR: '1', FORCE_COLOR: '0'})).toBe(false);
	});

	it('keeps critical bold and inverse without colour', () => {
		expect(severityStyle('critical', true)).toEqual({color: 'red', bold: true, inverse: true});
		expect(severityStyle('critical', false)).toEqual({bold: true, inverse: true});
		expect(severityStyle('ok', true).color).toBe('green');
		expect(severityStyle('ok', false).color).toBeUndefined();
	});
});
