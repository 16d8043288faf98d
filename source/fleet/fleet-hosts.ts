import {pushSteady} from '../sentinel/bounded-history.js';
import {sparkLength} from '../sentinel/job-state.js';
import type {InstanceReading, JobReading} from './fleet-round.js';
import {directoryProblem, nameProblem} from './plain-label.js';

/** One job of a host, with what the fleet remembers of it across refreshes. */
export type HostJob = {
	readonly reading: JobReading;
	/** CPU percent and RSS bytes, one value per scrape the fleet saw, oldest first (the table's sparklines). */
	readonly cpuHistory: readonly number[];
	readonly rssHistory: readonly number[];
};

/** One sentinel (a scrape target) as the fleet knows it, kept while it is down or stale. */
export type HostState = {
	instance: string;
	/** `sentinel_info`'s labels, raw. */
	host: string;
	jobsDir: string;
	/** Why host or jobs_dir is refused (not plain); nothing is ever run for such a host. */
	labelProblem: string | null;
	/** When Prometheus last scraped it successfully, on our clock (epoch ms). */
	lastScrapeMs: number | null;
	/** The time between two scrapes the fleet saw; null until it saw two. */
	spacingMs: number | null;
	stale: boolean;
	/** Why it is stale, in words. */
	problem: string | null;
	leader: boolean;
	actionsStarted: number;
	/** By job_id, updated in place each round: a job whose HostJob is the same object did not change. */
	readonly jobs: Map<string, HostJob>;
};

/** A last scrape older than this many scrape spacings makes a host stale. */
const staleSpacings = 3;
/** The spacing assumed until two scrapes were seen: Prometheus's default scrape interval. */
const defaultSpacingMs = 60_000;

/**
 * The hosts behind Prometheus, updated by each round: a host seen once is never dropped; one that
 * is down, gone from Prometheus or not scraped for three scrape spacings keeps its last jobs, stale.
 */
export class FleetHosts {
	readonly byInstance = new Map<string, HostState>();

	apply(round: ReadonlyMap<string, InstanceReading>, nowMs: number): void {
		for (const reading of round.values()) if (reading.info) this.seen(reading, reading.info, nowMs);
		for (const host of this.byInstance.values()) {
			const reading = round.get(host.instance);
			if (reading?.info) continue;
			host.stale = true;
			host.problem = reading?.up === 0 ? 'down: Prometheus cannot scrape it' : reading?.up === undefined || reading.up === null ? 'gone from Prometheus' : 'scraped, but no sentinel_info';
		}
	}

	/** Prometheus could not be read: every host's last data stays, stale. */
	markAllStale(): void {
		for (const host of this.byInstance.values()) host.stale = true;
	}

	private seen(reading: InstanceReading, info: {host: string; jobsDir: string}, nowMs: number): void {
		let host = this.byInstance.get(reading.instance);
		if (!host) {
			host = {instance: reading.instance, host: '', jobsDir: '', labelProblem: null, lastScrapeMs: null, spacingMs: null, stale: false, problem: null, leader: false, actionsStarted: 0, jobs: new Map()};
			this.byInstance.set(reading.instance, host);
		}
		host.host = info.host;
		host.jobsDir = info.jobsDir;
		host.labelProblem = nameProblem('host', info.host) ?? directoryProblem(info.jobsDir);
		host.leader = reading.leader;
		host.actionsStarted = reading.actionsStarted;
		const scrapedMs = reading.scrapeAgeMs === null ? null : nowMs - reading.scrapeAgeMs;
		// Ages are measured afresh each round, so the same scrape lands a few ms apart: not a new one.
		const fresh = scrapedMs !== null && (host.lastScrapeMs === null || scrapedMs - host.lastScrapeMs > 50);
		if (fresh && host.lastScrapeMs !== null) host.spacingMs = scrapedMs - host.lastScrapeMs;
		if (fresh) host.lastScrapeMs = scrapedMs;
		const age = host.lastScrapeMs === null ? null : nowMs - host.lastScrapeMs;
		const old = age !== null && age > staleSpacings * (host.spacingMs ?? defaultSpacingMs);
		host.stale = old;
		host.problem = old ? `not scraped for ${Math.round(age / 1000)} s` : null;
		updateJobs(host.jobs, reading.jobs, fresh);
	}
}

/**
 * `jobs` brought to this round's readings, in place; a job's history grows by one value per new
 * scrape. A job whose values are those it had, and whose histories the scrape left as they were
 * (full of that value: an idle job's CPU, a steady job's memory), stays the same HostJob, and so
 * keeps its view, even across a new scrape: its last activity stays as the scrape that first showed
 * these values put it, the one nearer the host's tick that measured them.
 */
function updateJobs(jobs: Map<string, HostJob>, readings: ReadonlyMap<string, JobReading>, fresh: boolean): void {
	for (const reading of readings.values()) {
		const before = jobs.get(reading.jobId);
		const grows = fresh || !before;
		const cpu = before?.cpuHistory ?? noHistory;
		const rss = before?.rssHistory ?? noHistory;
		const cpuHistory = grows && reading.cpuRatio !== null ? grown(cpu, reading.cpuRatio * 100) : cpu;
		const rssHistory = grows && reading.memoryBytes !== null ? grown(rss, reading.memoryBytes) : rss;
		if (before && cpuHistory === cpu && rssHistory === rss && sameReading(before.reading, reading)) continue;
		jobs.set(reading.jobId, {reading, cpuHistory, rssHistory});
	}
	if (jobs.size > readings.size) for (const jobId of jobs.keys()) if (!readings.has(jobId)) jobs.delete(jobId);
}

const noHistory: readonly number[] = [];

/** The history with `value` last (pushSteady: the same array when nothing moved). */
function grown(history: readonly number[], value: number): readonly number[] {
	return pushSteady(history, value, sparkLength);
}

function sameReading(a: JobReading, b: JobReading): boolean {
	return (
		a.severity === b.severity && a.silenceSeconds === b.silenceSeconds && a.cpuRatio === b.cpuRatio && a.memoryBytes === b.memoryBytes && a.phi === b.phi &&
		a.status === b.status && a.role === b.role && a.diagnosis === b.diagnosis
	);
}
