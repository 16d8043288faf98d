import widestLine from './widest-line.js';

// Stands in for Ink 6.8's build/measure-text.js (see import-hooks.ts), with the same contract.
// Ink's keeps every string it ever measured, and a dashboard whose clock and counters change
// every tick grows it without end; it also measures plain ASCII the slow way.

type Dimensions = {width: number; height: number};

const cache = new Map<string, Dimensions>();
/** Strings remembered at most; a frame has a few hundred. */
const cacheLimit = 4000;

export default function measureText(text: string): Dimensions {
	if (text.length === 0) return {width: 0, height: 0};
	const cached = cache.get(text);
	if (cached) return cached;
	const dimensions = {width: widestLine(text), height: text.split('\n').length};
	if (cache.size >= cacheLimit) cache.clear();
	cache.set(text, dimensions);
	return dimensions;
}
