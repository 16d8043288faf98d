import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {nestsDeeperThan} from '../../source/jobs/json-depth.js';

/** A JSON value nesting `depth` levels of arrays and objects, strings with brackets between them. */
function nested(depth: number, leaf: string): unknown {
	let value: unknown = leaf;
	for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value, '[{'] : {'}]': value, '"\\': '['};
	return value;
}

describe('how deep JSON text nests', () => {
	it('agrees with the depth of the value it encodes, whatever the strings hold', () => {
		fc.assert(
			fc.property(fc.integer({min: 0, max: 200}), fc.integer({min: 0, max: 100}), fc.string(), (depth, limit, leaf) => {
				expect(nestsDeeperThan(JSON.stringify(nested(depth, leaf)), limit)).toBe(depth > limit);
			}),
		);
	});

	it('reads 100,000 levels without recursion', () => {
		const text = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
		expect(nestsDeeperThan(text, 64)).toBe(true);
		expect(nestsDeeperThan(text, 100_001)).toBe(false);
	});
});
