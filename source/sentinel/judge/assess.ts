import type {Config} from '../../config/load-config.js';
import {severities, type Assessment, type JobObservation, type Severity, type Signal, type ValidJob} from '../../types.js';
import {cadenceSignal} from './cadence.js';
import {activeWithinMs, diagnose} from './diagnose.js';
import {DiagnosisSignal} from './diagnosis-signal.js';
import {busySignal, MemorySignal, NotMonitored, ProcessSignal, silenceSignal} from './signals.js';
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

const severityOf = (signal: Signal): Severity => signal.severity;

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
 * plain silence tier beside it. Cadence only once the job has a rhythm (SPEC section 13); it warns,
 * never above medium. A job outside the monitored statuses keeps its evidence, every
 * signal at `ok` and marked not monitored, so it is shown but never acted on.
 */
export function assess(job: ValidJob, observation: JobObservation, config: Config, now: number): Assessment {
	const thresholds = thresholdsFor(job, config);
	const monitored = monitoredStatuses(config).has(job.status.toUpperCase());
	// A stamp ahead of `now` is resolved upstream; here it only must not make silence negative.
	// Whole milliseconds, rounded down so a threshold is never reached early.
	const silenceMs = Math.max(0, Math.floor(now - observation.lastActivityMs));
	const silence = silenceSignal(silenceMs, thresholds, observation.progress);
	const evidence: Signal[] = [silence];
	const busy = busySignal(silence, observation, thresholds);
	if (busy) evidence.push(busy);
	const cadence = cadenceSignal(silenceMs, observation.rhythm, config.cadenceThreshold, 2 * config.intervalMs);
	if (cadence) evidence.push(cadence);
	if (observation.sample) evidence.push(new MemorySignal(observation.sample.rssBytes, thresholds.memoryLimitBytes), new ProcessSignal(observation.sample));
	// What the processes are doing (SPEC section 12), last in the evidence; a prompt raises the tier.
	const {sample, progress, readings} = observation;
	const diagnosis = monitored ? diagnose({pid: job.pid, sample, silenceMs, activeWithinMs: activeWithinMs(config), busy, cpuLimitPercent: thresholds.cpuLimitPercent, progress, readings}) : null;
	if (diagnosis) evidence.push(DiagnosisSignal.of(diagnosis, silence));
	const judged = monitored ? evidence : evidence.map(signal => new NotMonitored(signal));
	return {
		severity: highestSeverity(judged.map(severityOf)),
		monitored,
		silenceMs,
		thresholds,
		evidence: judged,
		diagnosis,
	};
}
