/**
 * V8 lets a small heap's old generation run some 8 MB past what was live after its last
 * collection, and keeps the pages it grew as long as any live object is left on them; it gives
 * memory back when a program falls idle, which a sentinel that ticks every second never does.
 * Without a full collection every 20 s the dashboard with 1,000 changing jobs climbs past its
 * 100 MB budget (docs/design.md).
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
