/** The first look again at a changed manifest comes after this wait, then twice as long each time. */
export const firstSettleWaitMs = 25;
const lastSettleWaitMs = 800;

/**
 * Looks again at manifests that changed lately, once their writes settle: chokidar may report
 * only the first of quick in-place rewrites (the later ones can keep the mtime it compares), and
 * a read can land between a writer's truncate and its write. Each look calls `lookAgain` with the
 * wait the next look would take; a newer read of the same job replaces its pending look.
 */
export class SettleChecks {
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	constructor(private readonly lookAgain: (dir: string, nextWaitMs: number) => void) {}

	/** `dir` was just read, `waitMs` into its settling: look again after `waitMs`, up to the last wait. */
	schedule(dir: string, waitMs: number): void {
		clearTimeout(this.timers.get(dir));
		this.timers.delete(dir);
		if (this.stopped || waitMs > lastSettleWaitMs) return;
		const timer = setTimeout(() => {
			this.timers.delete(dir);
			if (!this.stopped) this.lookAgain(dir, waitMs * 2);
		}, waitMs);
		this.timers.set(dir, timer.unref());
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
	}
}
