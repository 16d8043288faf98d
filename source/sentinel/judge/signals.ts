import prettyMs from 'pretty-ms';
import {formatSize} from '../../config/units.js';
import type {JobObservation, Severity, Signal, SignalName, Thresholds, TreeSample} from '../../types.js';
import type {Progress} from './progress.js';

/** `16m 2s`, `1h`, `1.5s`: tenths of a second matter only on the short timeouts of the demo. */
function duration(ms: number): string {
	return prettyMs(Math.round(ms), {secondsDecimalDigits: ms < 60_000 ? 1 : 0});
}

const raisedByBusy = {ok: 'ok', low: 'medium', medium: 'high', high: 'critical', critical: 'critical'} as const satisfies Record<Severity, Severity>;

/**
 * A signal whose message is written when read: few are ever shown, and formatting two durations
 * for each of 1,000 jobs every tick cost more than all the rest of assessing them. A class, not an
 * object literal with a getter, so a tick makes no closure per signal; its JSON (events, audit
 * entries, the status report) holds the message like any other signal's. The message is no own
 * property: a spread or structuredClone of a signal would drop it, so signals leave the process
 * through JSON only.
 */
export abstract class LazySignal implements Signal {
	constructor(
		readonly name: SignalName,
		readonly severity: Severity,
		readonly value: number | string,
		readonly threshold: number | string,
	) {}

	abstract get message(): string;

	toJSON(): Signal {
		return {name: this.name, severity: this.severity, value: this.value, threshold: this.threshold, message: this.message};
	}
}

/** Silence against the tier it reached, or below low against low; and output that repeats, when it does. */
class SilenceSignal extends LazySignal {
	readonly #tier: Exclude<Severity, 'ok'>;
	readonly #repeats: number;
	readonly #sample: string | null;

	constructor(silenceMs: number, tier: Exclude<Severity, 'ok'>, threshold: number, progress: Progress | undefined) {
		super('silence', silenceMs >= threshold ? tier : 'ok', silenceMs, threshold);
		this.#tier = tier;
		// Copied: the job's progress moves on after this assessment.
		this.#repeats = progress?.repeatsSinceNew ?? 0;
		this.#sample = progress?.sample ?? null;
	}

	get message(): string {
		const silent = `silent ${duration(this.value as number)} (${this.#tier} at ${duration(this.threshold as number)})`;
		if (this.#repeats === 0) return silent;
		const lines = this.#repeats === 1 ? '1 line' : `${this.#repeats} lines`;
		return `${silent}; output repeats: ${lines} since the last new one${this.#sample === null ? '' : `, like "${this.#sample}"`}`;
	}
}

/** `progress`: what the job's output says (SPEC section 11), named in the message when it repeats. */
export function silenceSignal(silenceMs: number, thresholds: Thresholds, progress?: Progress): Signal {
	const {roleTimeoutMs: t, criticalTimeoutMs: c} = thresholds;
	// Highest first: with T capped at C, a silence of C is critical, not high. Below low, the
	// message names the low threshold still ahead.
	if (silenceMs >= c) return new SilenceSignal(silenceMs, 'critical', c, progress);
	if (silenceMs >= t) return new SilenceSignal(silenceMs, 'high', t, progress);
	if (silenceMs >= 0.75 * t) return new SilenceSignal(silenceMs, 'medium', 0.75 * t, progress);
	return new SilenceSignal(silenceMs, 'low', 0.5 * t, progress);
}

export function busySignal(silence: Signal, observation: JobObservation, thresholds: Thresholds): Signal | null {
	const {cpuLimitPercent, cpuSamples, roleTimeoutMs} = thresholds;
	const history = observation.cpuHistory;
	if (history.length < cpuSamples) return null;
	// The last cpuSamples samples, read in place: every job is asked every tick, few are busy.
	let lowestRead = Number.POSITIVE_INFINITY;
	for (let index = history.length - cpuSamples; index < history.length; index++) {
		if (history[index]! < cpuLimitPercent) return null;
		lowestRead = Math.min(lowestRead, history[index]!);
	}
	const lowest = Math.round(lowestRead * 10) / 10;
	const busy = `CPU >= ${cpuLimitPercent}% for ${cpuSamples} samples`;
	const base = {name: 'busy', value: lowest, threshold: cpuLimitPercent} as const;
	if (silence.severity === 'ok') {
		return {
			...base,
			severity: 'ok',
			get message() {
				return `${busy}, not silent long enough to count (from ${duration(0.5 * roleTimeoutMs)})`;
			},
		};
	}
	const raised = raisedByBusy[silence.severity];
	const outcome = raised === silence.severity ? `already ${raised}` : `silence ${silence.severity} raised to ${raised}`;
	return {...base, severity: raised, message: `busy hang: ${busy} while silent, ${outcome}`};
}

/** A tree's RSS against the limit (medium) or twice it (high). */
export class MemorySignal extends LazySignal {
	constructor(rssBytes: number, limitBytes: number) {
		const high = rssBytes >= 2 * limitBytes;
		super('memory', high ? 'high' : rssBytes >= limitBytes ? 'medium' : 'ok', rssBytes, high ? 2 * limitBytes : limitBytes);
	}

	get message(): string {
		const tier = this.severity === 'high' ? 'high' : 'medium';
		return `RSS ${formatSize(this.value as number)} (${tier} at ${formatSize(this.threshold as number)})`;
	}
}

/** The root process alive (with its tree's size), or lost and why. */
export class ProcessSignal extends LazySignal {
	readonly #rootPid: number;
	readonly #count: number;

	constructor(sample: TreeSample) {
		super('process', sample.lost === null ? 'ok' : 'high', sample.lost ?? 'alive', 'alive');
		this.#rootPid = sample.rootPid;
		this.#count = sample.processes.length;
	}

	get message(): string {
		return this.severity === 'ok' ? `process ${this.#rootPid} alive (${this.#count} in tree)` : `process ${this.#rootPid} lost: ${this.value}`;
	}
}

/** Any signal of a job outside the monitored statuses: shown at `ok`, never acted on. */
export class NotMonitored extends LazySignal {
	readonly #signal: Signal;

	constructor(signal: Signal) {
		super(signal.name, 'ok', signal.value, signal.threshold);
		this.#signal = signal;
	}

	get message(): string {
		return `${this.#signal.message}; not monitored`;
	}
}
