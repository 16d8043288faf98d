import {pad2} from '../text/format.js';

export {formatCompactDuration} from '../text/format.js';

/** CPU percent of one core, whole numbers: `12%`; `-` when unknown. */
export function formatPercent(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return '-';
	return `${Math.round(value)}%`;
}

/** Wall-clock time of an epoch-ms moment, `HH:MM:SS` in local time. */
export function formatClock(epochMs: number): string {
	const at = new Date(epochMs);
	return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}
