import prettyMs from 'pretty-ms';
import type {Config} from '../config/load-config.js';
import {formatSize} from '../config/units.js';
import {severities, type Assessment, type JobObservation, type Severity, type Signal, type Thresholds, type TreeSample, type ValidJob} from '../types.js';
import {thresholdsFor} from './thresholds.js';

/** Rank of a severity: `ok` 0 up to `critical` 4. */
export function severityRank(severity: Severity): number {
	return severities.indexOf(severity);
}

/** The highest of some severities; `ok` when there are none. */
export function highestSeverity(list: Iterable<Severity>): Severity {
	let highest: Severity = 'ok';
	for (const severity of list) if (severityRank(severity) > severityRank(highest)) highest = severity;
	return highest;
}

/** `16m 2s`, `1h`, `1.5s`: tenths of a second matter only on the short timeouts of the demo. */
function duration(ms: number): string {
	return prettyMs(Math.round(ms), {secondsDecimalDigits: ms < 60_000 ? 1 : 0});
}

const raisedByBusy = {ok: 'ok', low: 'medium', medium: 'high', high: 'critical', critical: 'critical'} as const satisfies Record<Severity, Severity>;

function silenceSignal(silenceMs: number, thresholds: Thresholds): Signal {
	const {roleTimeoutMs: t, criticalTimeoutMs: c} = thresholds;
	// Highest first: with T capped at C, a silence of C is critical, not high. Below low, the
	// message names the low threshold still ahead.
	const [label, threshold]: [Exclude<Severity, 'ok'>, number] =
		silenceMs >= c ? ['critical', c] : silenceMs >= t ? ['high', t] : silenceMs >= 0.75 * t ? ['medium', 0.75 * t] : ['low', 0.5 * t];
	return {
		name: 'silence',
		severity: silenceMs >= threshold ? label : 'ok',
		value: silenceMs,
		threshold,
		// Written when read, as every message here: few are ever shown, and formatting two durations
		// for each of 1,000 jobs every tick cost more than all the rest of assessing them.
		get message() {
			return `silent ${duration(silenceMs)} (${label} at ${duration(threshold)})`;
		},
	};
}

function busySignal(silence: Signal, observation: JobObservation, thresholds: Thresholds): Signal | null {
	const {cpuLimitPercent, cpuSamples, roleTimeoutMs} = thresholds;
	const recent = observation.cpuHistory.slice(Math.max(0, observation.cpuHistory.length - cpuSamples));
	if (recent.length < cpuSamples || recent.some(cpu => cpu < cpuLimitPercent)) return null;
	const lowest = Math.round(Math.min(...recent) * 10) / 10;
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

function memorySignal(sample: TreeSample, thresholds: Thresholds): Signal {
	const limit = thresholds.memoryLimitBytes;
	const rss = sample.rssBytes;
	const [severity, label, threshold] = rss >= 2 * limit ? (['high', 'high', 2 * limit] as const) : rss >= limit ? (['medium', 'medium', limit] as const) : (['ok', 'medium', limit] as const);
	return {
		name: 'memory',
		severity,
		value: rss,
		threshold,
		get message() {
			return `RSS ${formatSize(rss)} (${label} at ${formatSize(threshold)})`;
		},
	};
}

function processSignal(sample: TreeSample): Signal {
	if (sample.lost !== null) {
		return {name: 'process', severity: 'high', value: sample.lost, threshold: 'alive', message: `process ${sample.rootPid} lost: ${sample.lost}`};
	}
	const count = sample.processes.length;
	return {name: 'process', severity: 'ok', value: 'alive', threshold: 'alive', message: `process ${sample.rootPid} alive (${count} in tree)`};
}

function notMonitored(signal: Signal): Signal {
	const {name, value, threshold} = signal;
	return {
		name,
		severity: 'ok',
		value,
		threshold,
		get message() {
			return `${signal.message}; not monitored`;
		},
	};
}

const upperCaseStatuses = new WeakMap<readonly string[], ReadonlySet<string>>();

// Upper-cased once per list of statuses, not twice per status for every job on every tick.
function monitoredStatuses(config: Config): ReadonlySet<string> {
	let statuses = upperCaseStatuses.get(config.monitoredStatuses);
	if (!statuses) {
		statuses = new Set(config.monitoredStatuses.map(status => status.toUpperCase()));
		upperCaseStatuses.set(config.monitoredStatuses, statuses);
	}
	return statuses;
}

/**
 * Judge one job at `now` (SPEC section 4). Pure: everything it knows comes in as arguments.
 *
 * The evidence always holds silence; memory and process only when the job has a tree sample (a
 * job naming no pid is judged on silence alone); busy only when the CPU history is at the limit.
 * Busy hang is its own signal carrying the raised tier, so the silence signal keeps showing the
 * plain silence tier beside it. A job outside the monitored statuses keeps its evidence, every
 * signal at `ok` and marked not monitored, so it is shown but never acted on.
 */
export function assess(job: ValidJob, observation: JobObservation, config: Config, now: number): Assessment {
	const thresholds = thresholdsFor(job, config);
	const monitored = monitoredStatuses(config).has(job.status.toUpperCase());
	// A stamp ahead of `now` is resolved upstream; here it only must not make silence negative.
	// Whole milliseconds, rounded down so a threshold is never reached early.
	const silenceMs = Math.max(0, Math.floor(now - observation.lastActivityMs));
	const silence = silenceSignal(silenceMs, thresholds);
	const evidence: Signal[] = [silence];
	const busy = busySignal(silence, observation, thresholds);
	if (busy) evidence.push(busy);
	if (observation.sample) evidence.push(memorySignal(observation.sample, thresholds), processSignal(observation.sample));
	const judged = monitored ? evidence : evidence.map(signal => notMonitored(signal));
	return {
		severity: highestSeverity(judged.map(signal => signal.severity)),
		monitored,
		silenceMs,
		thresholds,
		evidence: judged,
	};
}
