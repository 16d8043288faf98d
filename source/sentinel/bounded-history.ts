/**
 * Append to a history kept at most `limit` long, oldest first; returns a new array, sized exactly
 * (a copy grown by push would reserve room for some twenty more, three times a job each tick).
 */
export function pushBounded<T>(history: readonly T[], value: T, limit: number): T[] {
	// The new value is always kept, even under a limit below one.
	const start = Math.max(0, history.length - Math.max(1, limit) + 1);
	const next = new Array<T>(history.length - start + 1);
	for (let index = start; index < history.length; index++) next[index - start] = history[index]!;
	next[next.length - 1] = value;
	return next;
}

/**
 * `pushBounded`, but the very array given when it is full of `value` alone already (an idle job's
 * CPU, a steady job's memory): nothing copied each tick, and what is drawn from it is seen unchanged.
 */
export function pushSteady<T>(history: readonly T[], value: T, limit: number): readonly T[] {
	if (history.length !== Math.max(1, limit)) return pushBounded(history, value, limit);
	for (const kept of history) if (!Object.is(kept, value)) return pushBounded(history, value, limit);
	return history;
}
