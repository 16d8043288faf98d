import {queryPrometheus, type InstantSample} from './prometheus-api.js';

/**
 * Every series the fleet shows, in one instant query: each job's gauges, each sentinel's info,
 * leader and interventions, and `up` (of every target: those without `sentinel_info` are left out).
 * Not the last activity: the scrape's time less the silence gives it. Not the cadence's phi but
 * where it is above 0 (below). A thousand jobs' series fewer each took a third off the round.
 */
export const seriesQuery = '{__name__=~"up|sentinel_info|sentinel_leader|sentinel_interventions_total|sentinel_job_(severity|silence_seconds|cpu_ratio|memory_bytes|info)"}';
/** When each sentinel was last scraped: an instant query gives the evaluation time, not the sample's. */
export const scrapeQuery = 'timestamp(sentinel_info)';
/** The jobs whose rhythm is broken at all: most have a phi of 0. */
export const cadenceQuery = 'sentinel_job_cadence_phi > 0';

/** One job as its host's sentinel exported it; labels raw, as they came. */
export type JobReading = {
	jobId: string;
	role: string;
	status: string;
	diagnosis: string;
	/** 0 ok .. 4 critical, -1 invalid; null when the series is missing. */
	severity: number | null;
	silenceSeconds: number | null;
	cpuRatio: number | null;
	memoryBytes: number | null;
	phi: number | null;
};

/** One scrape target as one round read it. */
export type InstanceReading = {
	instance: string;
	/** `up`: 1 scraped, 0 not; null when Prometheus has no `up` for it any more. */
	up: number | null;
	/** `sentinel_info`'s labels; null when its series is gone (the target is down or no sentinel). */
	info: {host: string; jobsDir: string} | null;
	/** How long before the evaluation the last successful scrape was, in ms; null without `sentinel_info`. */
	scrapeAgeMs: number | null;
	leader: boolean;
	/** `sentinel_interventions_total{result="started"}` summed: recover and terminate actions begun. */
	actionsStarted: number;
	jobs: Map<string, JobReading>;
};

/**
 * The three queries of a refresh, issued together. Each is evaluated at Prometheus's own time,
 * and a scrape's age is taken within one answer: a clock that differs from ours changes no age.
 */
export async function readRound(prometheus: string, signal?: AbortSignal): Promise<Map<string, InstanceReading>> {
	const ask = (query: string) => queryPrometheus<InstantSample>(prometheus, 'api/v1/query', {query}, {signal});
	const [series, scrapes, cadences] = await Promise.all([ask(seriesQuery), ask(scrapeQuery), ask(cadenceQuery)]);
	return joinRound(series, scrapes, cadences);
}

const jobFields: Record<string, keyof JobReading> = {
	sentinel_job_silence_seconds: 'silenceSeconds',
	sentinel_job_cpu_ratio: 'cpuRatio',
	sentinel_job_memory_bytes: 'memoryBytes',
	sentinel_job_severity: 'severity',
};

/** The series of one round, grouped by scrape target (`instance`) and job (`job_id`). Pure. */
export function joinRound(series: readonly InstantSample[], scrapes: readonly InstantSample[], cadences: readonly InstantSample[] = []): Map<string, InstanceReading> {
	const instances = new Map<string, InstanceReading>();
	const instanceOf = (labels: Record<string, string>): InstanceReading => {
		const name = labels['instance'] ?? '';
		let found = instances.get(name);
		if (!found) instances.set(name, (found = {instance: name, up: null, info: null, scrapeAgeMs: null, leader: false, actionsStarted: 0, jobs: new Map()}));
		return found;
	};
	for (const {metric, value} of series) {
		const number = Number(value[1]);
		const target = instanceOf(metric);
		const name = metric['__name__'];
		if (name === 'up') target.up = number;
		else if (name === 'sentinel_info') target.info = {host: metric['host'] ?? '', jobsDir: metric['jobs_dir'] ?? ''};
		else if (name === 'sentinel_leader') target.leader = number === 1;
		else if (name === 'sentinel_interventions_total') target.actionsStarted += metric['result'] === 'started' ? number : 0;
		else if (name !== undefined && metric['job_id'] !== undefined) {
			const job = jobOf(target, metric['job_id']);
			if (name === 'sentinel_job_info') Object.assign(job, {status: metric['status'] ?? '', role: metric['role'] ?? job.role, diagnosis: metric['diagnosis'] ?? ''});
			else if (name in jobFields) {
				(job as Record<string, unknown>)[jobFields[name]!] = Number.isFinite(number) ? number : null;
				if (name === 'sentinel_job_severity' && metric['role']) job.role = metric['role'];
			}
		}
	}
	for (const {metric, value} of cadences) {
		const job = instances.get(metric['instance'] ?? '')?.jobs.get(metric['job_id'] ?? '');
		if (job) job.phi = Number(value[1]);
	}
	for (const {metric, value} of scrapes) {
		const target = instances.get(metric['instance'] ?? '');
		if (target) target.scrapeAgeMs = Math.max(0, Math.round((value[0] - Number(value[1])) * 1000));
	}
	return instances;
}

function jobOf(target: InstanceReading, jobId: string): JobReading {
	let job = target.jobs.get(jobId);
	if (!job) {
		job = {jobId, role: '', status: '', diagnosis: '', severity: null, silenceSeconds: null, cpuRatio: null, memoryBytes: null, phi: null};
		target.jobs.set(jobId, job);
	}
	return job;
}
