import prettyMs from 'pretty-ms';
import { formatSize } from '../config/units.js';
import { severities } from '../types.js';
import { thresholdsFor } from './thresholds.js';
/** Rank of a severity: `ok` 0 up to `critical` 4. */
export function severityRank(severity) {
    return severities.indexOf(severity);
}
/** The highest of some severities; `ok` when there are none. */
export function highestSeverity(list) {
    let highest = 'ok';
    for (const severity of list)
        if (severityRank(severity) > severityRank(highest))
            highest = severity;
    return highest;
}
/** `16m 2s`, `1h`, `1.5s`: tenths of a second matter only on the short timeouts of the demo. */
function duration(ms) {
    return prettyMs(Math.round(ms), { secondsDecimalDigits: ms < 60_000 ? 1 : 0 });
}
const raisedByBusy = { ok: 'ok', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };
function silenceSignal(silenceMs, thresholds) {
    const { roleTimeoutMs: t, criticalTimeoutMs: c } = thresholds;
    // Highest first: with T capped at C, a silence of C is critical, not high.
    const steps = [['critical', c], ['high', t], ['medium', 0.75 * t], ['low', 0.5 * t]];
    const reached = steps.find(([, at]) => silenceMs >= at);
    const [label, threshold] = reached ?? steps[3];
    return {
        name: 'silence',
        severity: reached ? label : 'ok',
        value: silenceMs,
        threshold,
        message: `silent ${duration(silenceMs)} (${label} at ${duration(threshold)})`,
    };
}
function busySignal(silence, observation, thresholds) {
    const { cpuLimitPercent, cpuSamples, roleTimeoutMs } = thresholds;
    const recent = observation.cpuHistory.slice(Math.max(0, observation.cpuHistory.length - cpuSamples));
    if (recent.length < cpuSamples || recent.some(cpu => cpu < cpuLimitPercent))
        return null;
    const lowest = Math.round(Math.min(...recent) * 10) / 10;
    const busy = `CPU >= ${cpuLimitPercent}% for ${cpuSamples} samples`;
    const base = { name: 'busy', value: lowest, threshold: cpuLimitPercent };
    if (silence.severity === 'ok') {
        return { ...base, severity: 'ok', message: `${busy}, not silent long enough to count (from ${duration(0.5 * roleTimeoutMs)})` };
    }
    const raised = raisedByBusy[silence.severity];
    const outcome = raised === silence.severity ? `already ${raised}` : `silence ${silence.severity} raised to ${raised}`;
    return { ...base, severity: raised, message: `busy hang: ${busy} while silent, ${outcome}` };
}
function memorySignal(sample, thresholds) {
    const limit = thresholds.memoryLimitBytes;
    const rss = sample.rssBytes;
    const [severity, label, threshold] = rss >= 2 * limit ? ['high', 'high', 2 * limit] : rss >= limit ? ['medium', 'medium', limit] : ['ok', 'medium', limit];
    return { name: 'memory', severity, value: rss, threshold, message: `RSS ${formatSize(rss)} (${label} at ${formatSize(threshold)})` };
}
function processSignal(sample) {
    if (sample.lost !== null) {
        return { name: 'process', severity: 'high', value: sample.lost, threshold: 'alive', message: `process ${sample.rootPid} lost: ${sample.lost}` };
    }
    const count = sample.processes.length;
    return { name: 'process', severity: 'ok', value: 'alive', threshold: 'alive', message: `process ${sample.rootPid} alive (${count} in tree)` };
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
export function assess(job, observation, config, now) {
    const thresholds = thresholdsFor(job, config);
    const monitored = config.monitoredStatuses.some(status => status.toUpperCase() === job.status.toUpperCase());
    // A stamp ahead of `now` is resolved upstream; here it only must not make silence negative.
    // Whole milliseconds, rounded down so a threshold is never reached early.
    const silenceMs = Math.max(0, Math.floor(now - observation.lastActivityMs));
    const silence = silenceSignal(silenceMs, thresholds);
    const evidence = [silence];
    const busy = busySignal(silence, observation, thresholds);
    if (busy)
        evidence.push(busy);
    if (observation.sample)
        evidence.push(memorySignal(observation.sample, thresholds), processSignal(observation.sample));
    const judged = monitored ? evidence : evidence.map(signal => ({ ...signal, severity: 'ok', message: `${signal.message}; not monitored` }));
    return {
        severity: highestSeverity(judged.map(signal => signal.severity)),
        monitored,
        silenceMs,
        thresholds,
        evidence: judged,
    };
}
