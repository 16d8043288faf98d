import {optionSpecs} from '../config/options.js';
import type {JobView} from '../sentinel/snapshot.js';
import {formatCompactDuration} from '../text/format.js';
import {diagnosisKinds, severities, type Assessment, type DiagnosisKind, type JobOverrides, type JobRecord, type Severity, type Signal, type TreeSample} from '../types.js';
import type {HostJob, HostState} from './fleet-hosts.js';
import {nameProblem, shownLabel} from './plain-label.js';

// The statuses a sentinel monitors unless told otherwise: the hosts' own lists are not in the metrics.
const monitored = new Set(String(optionSpecs.find(spec => spec.name === 'monitoredStatuses')?.fallback ?? '').split(','));

/**
 * A job's folder in the fleet: `<host>:<jobs_dir>/<job_id>`, as labelled (sanitised). Unique
 * across hosts, the key the screen keeps a row, a detail view and an action by; never a path here.
 */
export function fleetJobDir(host: HostState, jobId: string): string {
	return `${shownLabel(host.host)}:${shownLabel(host.jobsDir)}/${shownLabel(jobId)}`;
}

/** Why no action may run on this job: its host's labels or its own id are not plain; null when it may. */
export function refusal(host: HostState, jobId: string): string | null {
	if (host.labelProblem) return `host ${shownLabel(host.host)}: ${host.labelProblem}`;
	return nameProblem('job id', jobId);
}

/** What a job's view shows of its host's labels and its own id, made once while they stay the same. */
export type JobLabels = {dir: string; jobId: string; manifestPath: string; shownHost: string; refused: string | null; from: string};

/** A job's labels as its view shows them; each is sanitised here. */
export function jobLabels(host: HostState, jobId: string): JobLabels {
	const dir = fleetJobDir(host, jobId);
	const from = `from Prometheus (${shownLabel(host.instance)}${host.stale ? ', stale' : ''})`;
	return {dir, jobId: shownLabel(jobId), manifestPath: `${dir}/job_manifest.json`, shownHost: shownLabel(host.host), refused: refusal(host, jobId), from};
}

// The hosts' thresholds are not exported: zeros, which the fleet's detail view leaves out. One each, shared by every view.
const unknownThresholds = {
	worker: {role: 'worker', roleTimeoutMs: 0, criticalTimeoutMs: 0, memoryLimitBytes: 0, cpuLimitPercent: 0, cpuSamples: 0},
	supervisor: {role: 'supervisor', roleTimeoutMs: 0, criticalTimeoutMs: 0, memoryLimitBytes: 0, cpuLimitPercent: 0, cpuSamples: 0},
} as const satisfies Record<string, Assessment['thresholds']>;

// Nothing of a fleet job's manifest is known: one empty set of overrides and of processes, shared.
const noOverrides: JobOverrides = Object.freeze({});
const noProcesses: TreeSample['processes'] = [];

/**
 * The screen's view of one job as its host's sentinel exported it to Prometheus: a record made
 * from the labels (no pid, no manifest: the metrics carry neither), an assessment with the
 * exported severity, silence and diagnosis kind, and evidence saying where it came from. A job
 * whose labels are refused, or that its host reports invalid, is an invalid job: never acted on.
 * `labels` are the job's {@link jobLabels}, made again when not given; `previous`, its last view
 * with these labels, whose record is kept while its status and role are the same.
 */
export function fleetJobView(host: HostState, {reading, cpuHistory, rssHistory}: HostJob, paused: boolean, labels: JobLabels = jobLabels(host, reading.jobId), previous?: JobView): JobView {
	// Literals written out in full: spreading one object into a literal with more fields after it
	// took V8's slow path, 35-40 µs a job, 41 ms (median) for 1,000 jobs' views against 0.75 ms.
	const {dir, jobId, manifestPath, shownHost, refused} = labels;
	const severity: Severity = severities[reading.severity ?? 0] ?? 'ok';
	if (refused || reading.severity === -1) {
		const error = refused ? `${refused}; severity ${severity} on its host` : 'invalid on its host (run sentinel-tui status there for why)';
		const job: JobRecord = {valid: false, jobId, dir, manifestPath, error};
		return {job, sample: null, assessment: null, severity: 'ok', lastActivityMs: null, cpuHistory, rssHistory, paused, startedMs: null, host: shownHost, stale: host.stale};
	}
	// Within a tick of the host's sentinel: its silence is as of its last tick before the scrape.
	const lastActivityMs = reading.silenceSeconds === null || host.lastScrapeMs === null ? null : host.lastScrapeMs - reading.silenceSeconds * 1000;
	const status = shownLabel(reading.status);
	const role = reading.role === 'supervisor' ? 'supervisor' : 'worker';
	// No manifest, so no stamp in it: the record is the labels', the same from scrape to scrape.
	const job: JobRecord =
		previous?.job.valid && previous.job.status === status && previous.job.role === role
			? previous.job
			: {
					valid: true, jobId, dir, manifestPath, status, role, pid: null, processStartMs: null, description: '', command: null, latestStampMs: null,
					overrides: noOverrides, manifestMtimeMs: 0, ownerUid: -1, ownerGid: -1, contentKey: '',
				};
	const assessment = assessmentOf(labels.from, reading, severity, status, role, previous?.assessment?.diagnosis ?? null);
	return {job, sample: sampleOf(host, reading, previous?.sample ?? null), assessment, severity, lastActivityMs, cpuHistory, rssHistory, paused, startedMs: null, host: shownHost, stale: host.stale};
}

/**
 * CPU and memory as a sample without processes: the metrics have no per-process series. The last
 * view's while its values are these (its time is the scrape that first showed them).
 */
function sampleOf(host: HostState, reading: HostJob['reading'], last: TreeSample | null): TreeSample | null {
	if (reading.cpuRatio === null || reading.memoryBytes === null) return null;
	const cpuPercent = reading.cpuRatio * 100;
	if (last && last.cpuPercent === cpuPercent && last.rssBytes === reading.memoryBytes) return last;
	return {at: host.lastScrapeMs ?? 0, rootPid: 0, processes: noProcesses, cpuPercent, cpuTrusted: true, rssBytes: reading.memoryBytes, lost: null};
}

/** `diagnosed`: the last view's diagnosis (with these labels), kept while its kind is the same. */
function assessmentOf(from: string, reading: HostJob['reading'], severity: Severity, status: string, role: 'worker' | 'supervisor', diagnosed: Assessment['diagnosis']): Assessment {
	const silenceMs = (reading.silenceSeconds ?? 0) * 1000;
	const evidence: Signal[] = [{name: 'silence', severity, value: silenceMs, threshold: '-', message: `severity ${severity}, silent ${formatCompactDuration(silenceMs)}, ${from}`}];
	if (reading.phi !== null && reading.phi > 0) evidence.push({name: 'cadence', severity: 'ok', value: reading.phi, threshold: '-', message: `phi ${reading.phi.toFixed(1)}, ${from}`});
	const kind = diagnosisKinds.find(known => known === reading.diagnosis) as DiagnosisKind | undefined;
	return {
		severity,
		monitored: monitored.has(status.toUpperCase()),
		silenceMs,
		thresholds: unknownThresholds[role],
		evidence,
		diagnosis: kind ? (diagnosed?.kind === kind ? diagnosed : {kind, pid: null, command: null, detail: from}) : null,
	};
}
