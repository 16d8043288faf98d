import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {labelValue, maxLabelLength} from '../../source/metrics/label-value.js';

describe('labelValue', () => {
	test('strips control, escape, bidi and format characters as the screen does', () => {
		expect(labelValue('job\u001B[31m-red\u001B[0m')).toBe('job-red');
		expect(labelValue('a\nb\tc\rd')).toBe('a b c d');
		expect(labelValue('evil\u202Egnp.exe')).toBe('evilgnp.exe');
		expect(labelValue('zero\u200Bwidth\uFEFF')).toBe('zerowidth');
	});

	test('keeps quotes and backslashes (prom-client escapes them) and plain Unicode', () => {
		expect(labelValue('a "q" \\ b')).toBe('a "q" \\ b');
		expect(labelValue('日本語-job')).toBe('日本語-job');
	});

	test('a lone surrogate becomes the replacement character: it has no UTF-8', () => {
		expect(labelValue('a\uD800b')).toBe('a\uFFFDb');
		expect(labelValue('\uDC00')).toBe('\uFFFD');
		expect(labelValue('\uD83D\uDE00')).toBe('\uD83D\uDE00');
	});

	test('cuts a long value in the middle, keeping both ends and whole characters', () => {
		const long = `start-${'x'.repeat(500)}-end`;
		const cut = labelValue(long);
		expect(Array.from(cut)).toHaveLength(maxLabelLength);
		expect(cut.startsWith('start-')).toBe(true);
		expect(cut.endsWith('-end')).toBe(true);
		expect(cut).toContain('\u2026');
		const emoji = labelValue('\uD83D\uDE00'.repeat(300));
		expect(emoji.replaceAll('\u2026', '')).toMatch(/^(\uD83D\uDE00)+$/);
	});

	test('never yields a line break, a control character or more than the limit, whatever it is given', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 600}), text => {
				const value = labelValue(text);
				// eslint-disable-next-line no-control-regex
				expect(value).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
				expect(Array.from(value).length).toBeLessThanOrEqual(maxLabelLength);
				expect(Buffer.from(value, 'utf8').toString('utf8')).toBe(value);
			}),
		);
	});
});
