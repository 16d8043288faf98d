import {performance} from 'node:perf_hooks';

/** Wall clock and monotonic clock, injectable so tests can move time. */
export type Clock = {
	now: () => number;
	monotonic: () => number;
};

export const systemClock: Clock = {now: () => Date.now(), monotonic: () => performance.now()};

/**
 * Notices when the wall clock moves against the monotonic clock (suspend and resume, a clock
 * step). Silence measured across such a jump means nothing, so the engine restarts it.
 */
export class ClockWatch {
	private last: {wall: number; mono: number} | null = null;

	constructor(
		private readonly clock: Clock,
		private readonly toleranceMs: number,
	) {}

	/** The size of the jump since the previous check in ms (positive: wall moved ahead), or 0. */
	check(): number {
		const wall = this.clock.now();
		const mono = this.clock.monotonic();
		const previous = this.last;
		this.last = {wall, mono};
		if (!previous) return 0;
		const drift = wall - previous.wall - (mono - previous.mono);
		return Math.abs(drift) > this.toleranceMs ? drift : 0;
	}
}
