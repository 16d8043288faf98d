import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {pushBounded} from '../../source/sentinel/bounded-history.js';

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
