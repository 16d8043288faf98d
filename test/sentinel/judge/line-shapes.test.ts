import {describe, expect, it} from 'vitest';
import {hashText} from '../../../source/sentinel/judge/line-hash.js';
import {hashByShape} from '../../../source/sentinel/judge/line-shapes.js';
import {corpus} from './normalise-corpus.js';
import {referenceNormaliseLine} from './normalise-reference.js';

function expectedHash(line: string): number | null {
	const normalised = referenceNormaliseLine(line);
	return normalised === '' ? null : hashText(normalised, 0, normalised.length);
}

/** Whether a line is one the shapes read: ASCII without control characters, with a digit. */
function readByShape(line: string): boolean {
	return /^[\x20-\x7e]*$/.test(line) && /\d/.test(line);
}

/**
 * `line` with its digits changed where the shape cannot tell: a digit in 5-9 to another in 5-9,
 * any of 0, 2, 3, 4 to another of them (not a 0 before an x), a 1 and a 0 before an x kept.
 */
function sameShape(line: string, next: (limit: number) => number): string {
	return line.replaceAll(/\d/g, (digit, index: number) => {
		const beforeX = /[xX]/.test(line[index + 1] ?? '');
		if (digit === '1' || (digit === '0' && beforeX)) return digit;
		if (digit >= '5') return String(5 + next(5));
		const choices = beforeX ? '234' : '0234';
		return choices[next(choices.length)]!;
	});
}

function random(seed: number): (limit: number) => number {
	let state = seed;
	return limit => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return (state >>> 8) % limit;
	};
}

describe('lines read by their shape', () => {
	it('leave a line to the normaliser until its shape is seen twice, then hash it as normalised', () => {
		const line = 'worker 12: step 40 took 250ms (attempt 2/3) at 13:12:10';
		expect(hashByShape(line)).toBeUndefined();
		expect(hashByShape(line)).toBe(expectedHash(line));
		const other = 'worker 43: step 93 took 342ms (attempt 3/4) at 23:32:30';
		expect(hashByShape(other)).toBe(expectedHash(other));
		// Another step is another line: its progress figure survives the normalising.
		expect(hashByShape(other)).not.toBe(hashByShape(line));
	});

	it('never read a line with a character to sanitise, without a digit, too long, or keeping too many digits', () => {
		const long = 'step 12 of 40 took 250ms '.repeat(21);
		const digits = Array.from({length: 70}, (_, index) => `${index % 10}`).join(' ');
		expect(long.length).toBeGreaterThan(512);
		for (const line of ['tab\t12 attempt 3', 'é 12 port 5', '\u001B[31m12\u001B[0m', 'no digit here', long, digits]) {
			hashByShape(line);
			hashByShape(line);
			expect(hashByShape(line), line).toBeUndefined();
		}
	});

	it('leave a shape that shares a kept one\'s lookup to the normaliser, and the kept one in its slot', () => {
		// Two shapes with one lookup (line-shapes.ts's lookupOf; found by trying names): were the
		// second normalised as a shape, lines of the two in turn would each be normalised twice over.
		const kept = 'job laaaca took 250ms';
		const other = 'job eaaada took 250ms';
		hashByShape(kept);
		expect(hashByShape(kept)).toBe(expectedHash(kept));
		for (let sighting = 0; sighting < 3; sighting++) expect(hashByShape(other), other).toBeUndefined();
		expect(hashByShape(kept)).toBe(expectedHash(kept));
	});

	it('tell apart the digits the rules read: 0x, and an epoch beginning 15 to 19', () => {
		for (const [first, second] of [
			['id 0x12345 done', 'id 2x12345 done'],
			['at 1764504730 ok', 'at 1464504730 ok'],
			['at 1764504730 ok', 'at 2764504730 ok'],
		] as const) {
			for (const line of [first, first, second, second]) expect(hashByShape(line) ?? expectedHash(line), line).toBe(expectedHash(line));
			expect(expectedHash(first)).not.toBe(expectedHash(second));
		}
	});

	it('hash every line of the corpus, and lines of the same shape, as its normalised form', () => {
		const next = random(7);
		let read = 0;
		for (const line of corpus()) {
			if (!readByShape(line)) continue;
			hashByShape(line);
			for (const variant of [line, sameShape(line, next), sameShape(line, next)]) {
				const hash = hashByShape(variant);
				if (hash === undefined) continue;
				read++;
				const expected = expectedHash(variant);
				if (hash !== expected) expect(hash, variant).toBe(expected);
			}
		}
		expect(read).toBeGreaterThan(30_000);
	});
});
