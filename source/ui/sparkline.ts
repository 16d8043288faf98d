/**
 * The last `width` values as a sparkline, right-aligned (newest at the right), scaled from 0 to
 * `max` (or the largest value when that is higher), so a flat line at zero stays at the bottom.
 * One pass over the values, no arrays made: every visible row draws two each frame.
 */
export function sparkline(values: readonly number[], width: number, levels: readonly string[], max = 0): string {
	if (width <= 0 || levels.length === 0) return '';
	const from = Math.max(0, values.length - width);
	let top = max;
	let count = 0;
	for (let index = from; index < values.length; index++) {
		const value = values[index]!;
		if (!Number.isFinite(value)) continue;
		count++;
		if (value > top) top = value;
	}
	let bars = ' '.repeat(width - count);
	for (let index = from; index < values.length; index++) {
		const value = values[index]!;
		if (!Number.isFinite(value)) continue;
		const level = top <= 0 ? 0 : Math.round((Math.max(0, value) / top) * (levels.length - 1));
		bars += levels[Math.min(levels.length - 1, level)];
	}
	return bars;
}
