import {describe, expect, it} from 'vitest';
import {hashText} from '../../../source/sentinel/judge/line-hash.js';
import {normaliseLine, normalisedHash} from '../../../source/sentinel/judge/normalise.js';
import {corpus} from './normalise-corpus.js';
import {referenceNormaliseLine} from './normalise-reference.js';

describe('the normaliser with pre-tests', () => {
	it('normalises every line as the normaliser without them did', () => {
		let checked = 0;
		for (const line of corpus()) {
			const expected = referenceNormaliseLine(line);
			if (normaliseLine(line) !== expected) expect(normaliseLine(line), line).toBe(expected);
			checked++;
		}
		expect(checked).toBeGreaterThan(40_000);
	});

	it('hashes every line as the hash of its normalised form, null when that is empty', () => {
		let empty = 0;
		// Lines with nothing left: blanks alone, escape sequences alone, a format control alone.
		for (const line of [...corpus(), ' ', '   ', '\t \t', '\u001B[2K\u001B[1G', '\u200B', '\u00A0 ']) {
			const normalised = normaliseLine(line);
			const expected = normalised === '' ? null : hashText(normalised, 0, normalised.length);
			if (normalised === '') empty++;
			if (normalisedHash(line) !== expected) expect(normalisedHash(line), line).toBe(expected);
		}
		expect(empty).toBeGreaterThan(0);
	});
});
