import {queryPrometheus, type InstantSample} from './prometheus-api.js';

/**
 * Each sentinel's `up`, leader flag and actions begun (a few series a host). One selector, not
 * `up or sentinel_leader`: `or` matches series without their names, so a sentinel_leader with
 * the labels of its target's `up` (instance and job alone, as usual) would be left out.
 */
export const hostsQuery = '{__name__=~"up|sentinel_leader|sentinel_interventions_total", result=~"started|"}';
/**
 * When each sentinel was last scraped (an instant query gives the evaluation time, not the
 * sample's), with `sentinel_info`'s labels: host and jobs_dir.
 */
export const scrapeQuery = 'timestamp(sentinel_info)';

/** A job's gauges, each asked alone with only the two labels the fleet joins by. */
const gauges = {
	severity: 'sentinel_job_severity',
	silenceSeconds: 'sentinel_job_silence_seconds',
	cpuRatio: 'sentinel_job_cpu_ratio',
	memoryBytes: 'sentinel_job_memory_bytes',
} as const;
type Gauge = keyof typeof gauges;
const gaugeByMetric = new Map(Object.entries(gauges).map(([field, metric]) => [metric, field as Gauge]));

/** `max by (instance, job_id)`: one series a job, no `__name__`, `job` or `role` repeated in each. */
export const gaugeQueries = Object.fromEntries(Object.entries(gauges).map(([field, metric]) => [field, `max by (instance, job_id) (${metric})`])) as Record<Gauge, string>;
/** Each job's status, role and diagnosis. */
export const infoQuery = 'max by (instance, job_id, status, role, diagnosis) (sentinel_job_info)';
/** The jobs whose rhythm is broken at all: most have a phi of 0. */
export const cadenceQuery = 'max by (instance, job_id) (sentinel_job_cadence_phi > 0)';

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
 * The queries of a refresh, issued together; each answer is joined as it comes and let go, so
 * no answer's parsed series outlive it (a round's 5,000 series, parsed and all held until the
 * last answer, were most of the garbage collector's work). Each is evaluated at Prometheus's own
 * time, and a scrape's age is taken within one answer: a clock that differs from ours changes no age.
 */
export async function readRound(prometheus: string, signal?: AbortSignal): Promise<Map<string, InstanceReading>> {
	const round = new RoundJoin();
	await Promise.all(roundQueries(round).map(([query, join]) => queryPrometheus<InstantSample>(prometheus, 'api/v1/query', {query}, {signal}).then(join)));
	return round.instances;
}

/** Each query of a round, with where its answer goes. */
function roundQueries(round: RoundJoin): Array<[string, (rows: readonly InstantSample[]) => void]> {
	return [
		[hostsQuery, rows => round.hosts(rows)],
		[scrapeQuery, rows => round.scrapes(rows)],
		[infoQuery, rows => round.infos(rows)],
		...Object.entries(gaugeQueries).map(([field, query]): [string, (rows: readonly InstantSample[]) => void] => [query, rows => round.gauge(field as Gauge, rows)]),
		[cadenceQuery, rows => round.cadences(rows)],
	];
}

/**
 * The series of one round grouped by scrape target (`instance`) and job (`job_id`), one answer at
 * a time, in any order. Pure: what it holds is what it was given.
 */
export class RoundJoin {
	readonly instances = new Map<string, InstanceReading>();

	/** `up`, `sentinel_leader` and `sentinel_interventions_total{result="started"}`. */
	hosts(rows: readonly InstantSample[]): void {
		for (const {metric, value} of rows) {
			const target = this.instanceOf(metric['instance']);
			const name = metric['__name__'];
			const number = Number(value[1]);
			if (name === 'up') target.up = number;
			else if (name === 'sentinel_leader') target.leader = number === 1;
			else if (name === 'sentinel_interventions_total' && metric['result'] === 'started') target.actionsStarted += number;
		}
	}

	/** `timestamp(sentinel_info)`: the scrape's age, and the info's labels. */
	scrapes(rows: readonly InstantSample[]): void {
		for (const {metric, value} of rows) {
			const target = this.instanceOf(metric['instance']);
			target.info = {host: metric['host'] ?? '', jobsDir: metric['jobs_dir'] ?? ''};
			target.scrapeAgeMs = Math.max(0, Math.round((value[0] - Number(value[1])) * 1000));
		}
	}

	/** `sentinel_job_info`'s labels. */
	infos(rows: readonly InstantSample[]): void {
		for (const {metric} of rows) {
			const job = this.jobOf(metric);
			if (!job) continue;
			job.status = metric['status'] ?? '';
			job.role = metric['role'] ?? '';
			job.diagnosis = metric['diagnosis'] ?? '';
		}
	}

	/** One gauge of every job. */
	gauge(field: Gauge, rows: readonly InstantSample[]): void {
		for (const {metric, value} of rows) {
			const job = this.jobOf(metric);
			const number = Number(value[1]);
			if (job) job[field] = Number.isFinite(number) ? number : null;
		}
	}

	/** Phi, of the jobs where it is above 0. */
	cadences(rows: readonly InstantSample[]): void {
		for (const {metric, value} of rows) {
			const job = this.jobOf(metric);
			if (job) job.phi = Number(value[1]);
		}
	}

	private instanceOf(name = ''): InstanceReading {
		let found = this.instances.get(name);
		if (!found) this.instances.set(name, (found = {instance: name, up: null, info: null, scrapeAgeMs: null, leader: false, actionsStarted: 0, jobs: new Map()}));
		return found;
	}

	private jobOf(metric: Record<string, string>): JobReading | null {
		const jobId = metric['job_id'];
		if (jobId === undefined) return null;
		const target = this.instanceOf(metric['instance']);
		let job = target.jobs.get(jobId);
		if (!job) {
			job = {jobId, role: '', status: '', diagnosis: '', severity: null, silenceSeconds: null, cpuRatio: null, memoryBytes: null, phi: null};
			target.jobs.set(jobId, job);
		}
		return job;
	}
}

/**
 * A round from series as a plain selector gives them (`__name__` on each, in one list), the
 * scrapes and the cadences: each goes where readRound's own answer would. Pure.
 */
export function joinRound(series: readonly InstantSample[], scrapes: readonly InstantSample[], cadences: readonly InstantSample[] = []): Map<string, InstanceReading> {
	const round = new RoundJoin();
	round.hosts(series);
	round.scrapes(scrapes);
	round.infos(series.filter(sample => sample.metric['__name__'] === 'sentinel_job_info'));
	for (const [metric, field] of gaugeByMetric) round.gauge(field, series.filter(sample => sample.metric['__name__'] === metric));
	round.cadences(cadences);
	return round.instances;
}

/** How many queries a round sends together. */
export const queriesPerRound = roundQueries(new RoundJoin()).length;
