import {BoundedCache} from './bounded-cache.js';
import widestLine from './widest-line.js';

// Stands in for Ink 6.8's build/measure-text.js (see import-hooks.ts), with the same contract.
// Ink's keeps every string it ever measured, and a dashboard whose clock and counters change
// every tick grows it without end; it also measures plain ASCII the slow way.

type Dimensions = {width: number; height: number};

/**
 * At most 4,000 strings (a frame has a few hundred) and 200,000 UTF-16 units of them, some
 * 200-400 KB. The job table is one text of a whole screen (ui/Lines.tsx), new at every change:
 * counted by strings alone, a few thousand of those would be kept, tens of megabytes.
 */
const cache = new BoundedCache<Dimensions>(4000, 200_000);

export default function measureText(text: string): Dimensions {
	if (text.length === 0) return {width: 0, height: 0};
	const cached = cache.get(text);
	if (cached) return cached;
	const dimensions = {width: widestLine(text), height: text.split('\n').length};
	cache.set(text, dimensions, text.length);
	return dimensions;
}

/** How much the cache holds now, for tests that check it stays bounded. */
export function measureCacheSize(): {strings: number; units: number} {
	return {strings: cache.size, units: cache.units};
}
