const hourMs = 3_600_000;

/**
 * Recover and terminate actions begun on the hosts in the last hour, from the growth of each
 * sentinel's `sentinel_interventions_total{result="started"}` between refreshes: what happened
 * before this view first saw a sentinel is not counted; a counter that fell (a restart) counts anew.
 */
export class InterventionsSeen {
	private readonly counts = new Map<string, number>();
	private readonly begun: Array<{atMs: number; count: number}> = [];

	saw(instance: string, started: number, nowMs: number): void {
		const before = this.counts.get(instance);
		this.counts.set(instance, started);
		if (before === undefined) return;
		const count = started >= before ? started - before : started;
		if (count > 0) this.begun.push({atMs: nowMs, count});
	}

	lastHour(nowMs: number): number {
		while (this.begun.length > 0 && this.begun[0]!.atMs <= nowMs - hourMs) this.begun.shift();
		return this.begun.reduce((sum, {count}) => sum + count, 0);
	}
}
