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
