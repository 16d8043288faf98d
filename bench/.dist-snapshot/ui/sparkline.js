/**
 * The last `width` values as a sparkline, right-aligned (newest at the right), scaled from 0 to
 * `max` (or the largest value when that is higher), so a flat line at zero stays at the bottom.
 */
export function sparkline(values, width, levels, max = 0) {
    if (width <= 0 || levels.length === 0)
        return '';
    const shown = values.slice(-width).filter(value => Number.isFinite(value));
    const top = Math.max(max, ...shown);
    const bars = shown.map(value => {
        if (top <= 0)
            return levels[0];
        const level = Math.round((Math.max(0, value) / top) * (levels.length - 1));
        return levels[Math.min(levels.length - 1, level)];
    });
    return ' '.repeat(width - bars.length) + bars.join('');
}
