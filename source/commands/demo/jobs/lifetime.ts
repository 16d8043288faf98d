// Demo jobs must never outlive a demo that crashed: each one ends on its own after a while.

/** How long a demo job lives at most, in ms (`DEMO_JOB_LIFETIME` seconds, default 30 minutes). */
export const lifetimeMs = (Number(process.env['DEMO_JOB_LIFETIME']) || 30 * 60) * 1000;

const startedAt = Date.now();

/** Ends the process once its lifetime is over, for scripts whose event loop stays free. */
export function endAfterLifetime(): void {
	setTimeout(() => process.exit(0), lifetimeMs).unref();
}

/** True once the lifetime is over, for scripts that block their own event loop. */
export function lifetimeOver(): boolean {
	return Date.now() - startedAt >= lifetimeMs;
}

/** A whole number from argv[index], else `fallback`. */
export function numberArgument(index: number, fallback: number): number {
	const value = Number(process.argv[index]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}
