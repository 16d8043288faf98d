/**
 * V8 lets a small heap's old generation run some 8 MB past what was live after its last
 * collection, and keeps the pages it grew as long as any live object is left on them: under a
 * steady churn of jobs the sentinel's RSS crept up for ten minutes or more, 81 -> 93 MB with
 * 1,000 jobs, and stayed there. It gives memory back when the program falls idle, which a sentinel
 * that ticks every second never does. A full collection every 20 s held the same dashboard at
 * 83-87 MB, for some 10-15 % more CPU (readme, Performance).
 *
 * The program's first line runs node with --expose-gc for it (rolldown.config.js); run another way
 * (tests, `node dist/bin/...`), there is no `gc` and this does nothing.
 */
export function collectGarbageEvery(intervalMs: number, collect = globalThis.gc): () => void {
	if (typeof collect !== 'function') return () => {};
	const timer = setInterval(() => collect(), intervalMs);
	// It must not keep the process alive.
	timer.unref();
	return () => clearInterval(timer);
}
