import type {Clock} from './observe/clock-watch.js';

/** Ticks never come closer than this, however many thresholds fall close together. */
const minTickGapMs = 20;

/**
 * When the engine's next tick comes: one interval after the last began (never overlapping it: the
 * next is timed from its end), or sooner when a job's silence crosses a threshold before then, or
 * at once when a job's process waits for its first sample.
 */
export class TickTimer {
	private timer: NodeJS.Timeout | null = null;
	/** When the waiting tick is due (clock ms). */
	private dueAt = 0;
	private lastStartedAt = 0;
	/** A job's process waits for its first sample: the next tick comes at once. */
	private unsampled = false;
	private stopped = false;

	constructor(
		private readonly clock: Clock,
		private readonly intervalMs: number,
		/** Runs one tick; the next is timed once it has ended. */
		private readonly tick: () => Promise<void>,
		/** The next moment a job's silence crosses a threshold, if any. */
		private readonly nextDeadline: () => number | null,
	) {}

	/** A tick begins now (however it was started). */
	began(): void {
		this.lastStartedAt = this.clock.now();
	}

	/** Every job's process has just been sampled. */
	sampled(): void {
		this.unsampled = false;
	}

	/** Time the next tick. */
	schedule(): void {
		if (this.stopped) return;
		if (this.timer) clearTimeout(this.timer);
		const now = this.clock.now();
		const regular = this.lastStartedAt + this.intervalMs;
		const deadline = this.nextDeadline();
		const at = this.unsampled ? now : deadline === null ? regular : Math.min(regular, deadline + 1);
		this.unsampled = false;
		const delay = Math.max(minTickGapMs, at - now);
		this.dueAt = now + delay;
		this.timer = setTimeout(async () => {
			this.timer = null;
			await this.tick();
			this.schedule();
		}, delay);
	}

	/**
	 * A job came, or named a new process, between ticks: its process is sampled by a tick soon, not
	 * an interval later, so its first whole verdict comes at once (a burst of arrivals, one tick).
	 */
	sampleSoon(): void {
		if (this.stopped) return;
		// Between ticks: the waiting tick comes sooner (never later: arrivals do not postpone it).
		if (this.timer) {
			if (this.dueAt <= this.clock.now() + minTickGapMs) return;
			this.unsampled = true;
			this.schedule();
			return;
		}
		// During a tick, past its sampling, or before the first: the next tick comes right after.
		this.unsampled = true;
	}

	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
	}
}
