import prettyMs from 'pretty-ms';
import type {Severity, Signal} from '../../types.js';
import {LazySignal} from './signals.js';

/** Intervals kept per job: the latest 100 (SPEC section 13). */
export const rhythmLength = 100;
/** Intervals needed before the job's rhythm says anything. */
export const rhythmMinimum = 10;
/** Suspicion at which the cadence signal is low; medium comes at `--cadence-threshold`. */
export const lowPhi = 3;
/** The smallest deviation a rhythm is given: a job as regular as a clock is not condemned at its first late beat. */
const leastDeviationMs = 100;

/** What the cadence signal reads of a job's rhythm. */
export type RhythmReading = {count: number; meanMs: number; deviationMs: number};

/**
 * The intervals between a job's activity events, the latest 100, with their mean and standard
 * deviation worked out when one is added (a few times a minute), not when read (every tick).
 */
export class Rhythm implements RhythmReading {
	/** The latest activity moment heard (epoch ms), or null before the first. */
	lastMs: number | null = null;
	count = 0;
	meanMs = 0;
	deviationMs = 0;
	// Grown as intervals come, as LineJudge's hashes are: most jobs learn few, and eight doubles
	// live inside the heap object where a hundred took an ArrayBuffer of 800 bytes per job.
	private intervals = new Float64Array(8);
	private next = 0;

	/**
	 * The job's activity moved to `atMs`. The interval since the previous moment is learnt only
	 * when `learn`: never while the job is above ok, so a hang never teaches it that hangs are normal.
	 */
	heard(atMs: number, learn: boolean): void {
		if (this.lastMs !== null && atMs <= this.lastMs) return;
		if (learn && this.lastMs !== null) this.add(atMs - this.lastMs);
		this.lastMs = atMs;
	}

	/** Forget the moment heard last (a clock jump): the next interval would span it. */
	restart(): void {
		this.lastMs = null;
	}

	private add(intervalMs: number): void {
		if (this.count < rhythmLength && this.count === this.intervals.length) {
			const grown = new Float64Array(Math.min(rhythmLength, this.intervals.length * 2));
			grown.set(this.intervals);
			this.intervals = grown;
		}
		this.intervals[this.next] = intervalMs;
		this.next = (this.next + 1) % rhythmLength;
		this.count = Math.min(rhythmLength, this.count + 1);
		let sum = 0;
		for (let index = 0; index < this.count; index++) sum += this.intervals[index]!;
		const mean = sum / this.count;
		let squares = 0;
		for (let index = 0; index < this.count; index++) squares += (this.intervals[index]! - mean) ** 2;
		this.meanMs = mean;
		this.deviationMs = Math.sqrt(squares / this.count);
	}
}

/**
 * Hayashibara's phi accrual suspicion, -log10(1 - F(silence)), with F the normal distribution of
 * mean `meanMs` and deviation `deviationMs` in the logistic approximation Akka uses. Worked out in
 * logarithms, so a silence far past the rhythm gives a large finite phi rather than Infinity.
 */
export function phi(silenceMs: number, meanMs: number, deviationMs: number): number {
	const y = (silenceMs - meanMs) / deviationMs;
	const exponent = y * (1.5976 + 0.070_566 * y * y);
	if (y > 0) return exponent / Math.LN10 + Math.log10(1 + Math.exp(-exponent));
	return -Math.log10(1 - 1 / (1 + Math.exp(-exponent)));
}

/** `4m10s`, `5s`, `1.5s`. */
function duration(ms: number): string {
	return prettyMs(Math.round(ms), {secondsDecimalDigits: ms < 10_000 ? 1 : 0}).replaceAll(' ', '');
}

/** Silence against the job's own rhythm: warns (low, medium), never higher. */
class CadenceSignal extends LazySignal {
	readonly #silenceMs: number;
	readonly #meanMs: number;

	constructor(severity: Severity, phiValue: number, threshold: number, silenceMs: number, meanMs: number) {
		super('cadence', severity, phiValue, threshold);
		this.#silenceMs = silenceMs;
		this.#meanMs = meanMs;
	}

	get message(): string {
		const times = this.#silenceMs / this.#meanMs;
		return `silent ${duration(this.#silenceMs)}, ${times >= 10 ? Math.round(times) : times.toFixed(1)}x its usual ${duration(this.#meanMs)}`;
	}
}

/**
 * The cadence signal (SPEC section 13), or null while it has nothing to say: turned off
 * (`threshold` 0), or fewer than 10 intervals known. Low at phi >= 3, medium at phi >= `threshold`,
 * and ok whatever phi says until the job has been silent `leastSilenceMs` (two of the sentinel's
 * intervals: a tick late is not a broken rhythm).
 */
export function cadenceSignal(silenceMs: number, rhythm: RhythmReading | undefined, threshold: number, leastSilenceMs: number): Signal | null {
	if (threshold <= 0 || !rhythm || rhythm.count < rhythmMinimum) return null;
	const deviation = Math.max(rhythm.deviationMs, rhythm.meanMs / 4, leastDeviationMs);
	const suspicion = phi(silenceMs, rhythm.meanMs, deviation);
	let severity: Severity = 'ok';
	if (silenceMs >= leastSilenceMs) severity = suspicion >= threshold ? 'medium' : suspicion >= lowPhi ? 'low' : 'ok';
	return new CadenceSignal(severity, Math.round(suspicion * 10) / 10, threshold, silenceMs, rhythm.meanMs);
}
