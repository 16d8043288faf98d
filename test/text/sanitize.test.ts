import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {terminalSafeJson} from '../../source/text/safe-json.js';
import {sanitize} from '../../source/text/sanitize.js';

/** The bidi and format controls SPEC section 10 names, one code point each. */
const formatControls = [0x061c, ...range(0x200b, 0x200f), ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), 0xfeff].map(code => String.fromCodePoint(code));

function range(first: number, last: number): number[] {
	return Array.from({length: last - first + 1}, (_, index) => first + index);
}

const hex = (text: string) => [...text].map(character => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
// Anything a terminal acts on or hides: C0, DEL, C1, and the bidi and format controls.
const unsafe = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${formatControls.join('')}]`);

// Strings rich in what sanitize must remove: escape sequences, controls and format controls among plain text.
const hostile = fc
	.array(
		fc.oneof(
			fc.string({unit: 'grapheme', maxLength: 8}),
			fc.constantFrom(...formatControls, '\u001B', '\u001B[31m', '\u009B2J', '\u001B]8;;http://x\u0007', '\t', '\r\n', '\u0000', '\u007F'),
		),
		{maxLength: 12},
	)
	.map(parts => parts.join(''));

describe('sanitize', () => {
	it('removes each bidi and format control SPEC section 10 names, alone and inside text', () => {
		expect(formatControls).toHaveLength(16);
		for (const control of formatControls) {
			expect(sanitize(control), hex(control)).toBe('');
			expect(sanitize(`job${control}-1`), hex(control)).toBe('job-1');
			// Inside an escape sequence it cannot keep the sequence from being removed whole.
			expect(sanitize(`a\u001B[3${control}1mb`), hex(control)).toBe('ab');
		}
	});

	it('leaves what is not a control alone: joiner-free emoji, CJK, accents, right-to-left letters', () => {
		for (const text of ['plain-job_1.2', 'ジョブ', 'café', 'שלום job', '🙂 ok', 'a\u00A0b']) expect(sanitize(text)).toBe(text);
	});

	it('never lets a control, escape or format character through, and is idempotent', () => {
		fc.assert(
			fc.property(fc.oneof(hostile, fc.string({unit: 'binary'})), text => {
				const clean = sanitize(text);
				expect(unsafe.test(clean), `${hex(text)} -> ${hex(clean)}`).toBe(false);
				expect(sanitize(clean)).toBe(clean);
			}),
			{numRuns: 1000},
		);
	});

	it('changes nothing in a string that holds no control, escape or format character', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}).filter(text => !unsafe.test(text)), text => {
				expect(sanitize(text)).toBe(text);
			}),
			{numRuns: 500},
		);
	});
});

describe('terminalSafeJson', () => {
	it('writes every control and format character escaped, and parses back to the same value', () => {
		fc.assert(
			fc.property(fc.oneof(hostile, fc.string({unit: 'binary'})), text => {
				const json = terminalSafeJson({dir: text, nested: [text]}, 2);
				expect(unsafe.test(json.replaceAll('\n', ' ')), hex(json)).toBe(false);
				expect(JSON.parse(json)).toEqual({dir: text, nested: [text]});
			}),
			{numRuns: 500},
		);
	});
});
