/**
 * A short duration for narrow columns: `42s`, `4m12s`, `1h02m`, `3d04h`. Negative or missing: `-`.
 * Two units at most, so the column width stays fixed; the dashboard and `status` both use it.
 */
export function formatCompactDuration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) return `${seconds}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return `${hours}h${pad2(minutes % 60)}m`;
	return `${Math.floor(hours / 24)}d${pad2(hours % 24)}h`;
}

/** Two digits: `07`. */
export function pad2(value: number): string {
	return String(value).padStart(2, '0');
}
