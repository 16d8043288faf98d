import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {pushBounded, pushSteady} from '../../source/sentinel/bounded-history.js';

describe('pushBounded', () => {
	it('keeps the newest values up to the limit, oldest first, in a new array of exactly that length', () => {
		fc.assert(
			fc.property(fc.array(fc.double({noNaN: true})), fc.double({noNaN: true}), fc.integer({min: 0, max: 20}), (history, value, limit) => {
				const before = [...history];
				const next = pushBounded(history, value, limit);
				expect(next).not.toBe(history);
				expect(history).toEqual(before);
				expect(next).toEqual([...history, value].slice(-Math.max(1, limit)));
				expect(Object.keys(next)).toEqual(next.map((_, index) => String(index)));
			}),
		);
	});
});

describe('pushSteady', () => {
	it('holds what pushBounded holds, in the very array given when that is full of the value alone', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom(0, 1, Number.NaN), {maxLength: 14}), fc.constantFrom(0, 1, Number.NaN), fc.integer({min: 0, max: 12}), (history, value, limit) => {
				const next = pushSteady(history, value, limit);
				expect(next).toEqual(pushBounded(history, value, limit));
				const steady = history.length === Math.max(1, limit) && history.every(kept => Object.is(kept, value));
				expect(next === history).toBe(steady);
			}),
		);
	});
});
