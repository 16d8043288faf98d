// Summaries of measured samples.

/** The p-th percentile (0..100) by nearest rank; NaN for no samples. */
export function percentile(values, p) {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
	return percentile(values, 50);
}

export function max(values) {
	return values.length === 0 ? Number.NaN : Math.max(...values);
}

export function min(values) {
	return values.length === 0 ? Number.NaN : Math.min(...values);
}

/**
 * A budget judged over several runs: true when every run met it, false when none did, 'noise'
 * when the runs fall on both sides (the margin is smaller than the run-to-run spread).
 */
export function spreadVerdict(values, meets) {
	const met = values.filter(meets).length;
	if (values.length === 0) return false;
	return met === values.length ? true : met === 0 ? false : 'noise';
}

export function sleep(ms) {
	return new Promise(resolve => setTimeout(resolve, ms));
}

/** Poll `check` every `stepMs` until it returns something truthy (resolved with it) or `timeoutMs` passes (null). */
export async function waitUntil(check, timeoutMs, stepMs = 20) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() >= end) return null;
		await sleep(stepMs);
	}
}
