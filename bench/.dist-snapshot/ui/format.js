/**
 * A short duration for narrow columns: `42s`, `4m12s`, `1h02m`, `3d04h`. Negative or missing: `-`.
 * Two units at most, so the column width stays fixed.
 */
export function formatCompactDuration(ms) {
    if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0)
        return '-';
    const seconds = Math.floor(ms / 1000);
    if (seconds < 60)
        return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes}m${pad2(seconds % 60)}s`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24)
        return `${hours}h${pad2(minutes % 60)}m`;
    return `${Math.floor(hours / 24)}d${pad2(hours % 24)}h`;
}
/** CPU percent of one core, whole numbers: `12%`; `-` when unknown. */
export function formatPercent(value) {
    if (value === null || value === undefined || !Number.isFinite(value))
        return '-';
    return `${Math.round(value)}%`;
}
/** Wall-clock time of an epoch-ms moment, `HH:MM:SS` in local time. */
export function formatClock(epochMs) {
    const at = new Date(epochMs);
    return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}
function pad2(value) {
    return String(value).padStart(2, '0');
}
