import type {FleetHost, JobView, Snapshot} from '../sentinel/snapshot.js';
import {severities} from '../types.js';
import type {JobHistory} from './fleet-history.js';
import type {HostJob, HostState} from './fleet-hosts.js';
import {fleetJobView, jobLabels, type JobLabels} from './fleet-job-view.js';
import {shownLabel} from './plain-label.js';

/** A job of the fleet as actions find it: its view, its host and its job_id as labelled (raw). */
export type FleetJob = {view: JobView; host: HostState; jobId: string};

/** A job as a snapshot made it (its view kept, this too), with what it was made from. */
type MadeView = {job: FleetJob; hostJob: HostJob; hostKey: string; labels: JobLabels};

/**
 * Each host's jobs' views (by raw job_id) as the snapshots made them, kept from one snapshot to
 * the next: a job whose HostJob and host are unchanged keeps its view, one whose values changed
 * its labels. Updated in place by each snapshot.
 */
export type MadeViews = Map<HostState, Map<string, MadeView>>;

export type FleetSnapshotInput = {
	hosts: Iterable<HostState>;
	/** Prometheus's URL without credentials. */
	prometheus: string;
	problem: string | null;
	refreshedMs: number | null;
	refreshes: number;
	nowMs: number;
	/** Jobs (by dir) this fleet view paused. */
	paused: ReadonlySet<string>;
	/** The detail view's job and its range-query history, which replace its own sparklines. */
	focus: ({dir: string} & JobHistory) | null;
	recentAudit: Snapshot['recentAudit'];
	interventionsLastHour: number;
	/** The views the last snapshots made, updated by this one; none: every view is made. */
	made?: MadeViews;
};

/**
 * The fleet as a dashboard snapshot, and its jobs by dir (each dir once: the live, then the worse).
 * A job whose values and host did not change since `input.made` keeps its view (the same object:
 * the screen's caches hit); one whose values changed keeps its labels, sanitised once.
 */
export function fleetSnapshot(input: FleetSnapshotInput): {snapshot: Snapshot; jobs: Map<string, FleetJob>} {
	const jobs = new Map<string, FleetJob>();
	const hosts: FleetHost[] = [];
	const made = input.made ?? new Map<HostState, Map<string, MadeView>>();
	const all = [...input.hosts];
	for (const host of all) {
		// Everything of the host a job's labels show. Its last scrape, which a view reads for its last
		// activity, is left out: a job kept across a scrape keeps its HostJob, and its view with it.
		const hostKey = `${host.stale}\u0000${host.host}\u0000${host.jobsDir}\u0000${host.instance}\u0000${host.labelProblem}`;
		let views = made.get(host);
		if (!views) made.set(host, (views = new Map()));
		for (const hostJob of host.jobs.values()) {
			const {jobId} = hostJob.reading;
			const last = views.get(jobId);
			const labels = last && last.hostKey === hostKey ? last.labels : jobLabels(host, jobId);
			const paused = input.paused.has(labels.dir);
			const focused = input.focus?.dir === labels.dir;
			let job: FleetJob;
			if (last && last.hostJob === hostJob && last.labels === labels && last.job.view.paused === paused && !focused && last.job.view.cpuHistory === hostJob.cpuHistory) job = last.job;
			else {
				let view = fleetJobView(host, hostJob, paused, labels, last?.labels === labels ? last.job.view : undefined);
				if (focused) view = {...view, cpuHistory: input.focus!.cpuHistory, rssHistory: input.focus!.rssHistory};
				job = {view, host, jobId};
			}
			if (!last) views.set(jobId, {job, hostJob, hostKey, labels});
			else if (last.job !== job) {
				last.job = job;
				last.hostJob = hostJob;
				last.hostKey = hostKey;
				last.labels = labels;
			}
			const held = jobs.get(labels.dir);
			// Two sentinels on one host and jobs directory (a dashboard beside a headless one) report the same jobs.
			if (!held || rank(job.view) > rank(held.view)) jobs.set(labels.dir, job);
		}
		// A job gone from its host is forgotten.
		if (views.size > host.jobs.size) for (const jobId of views.keys()) if (!host.jobs.has(jobId)) views.delete(jobId);
		hosts.push({
			host: shownLabel(host.host),
			instance: shownLabel(host.instance),
			jobsDir: shownLabel(host.jobsDir),
			lastScrapeMs: host.lastScrapeMs,
			stale: host.stale,
			problem: host.labelProblem ?? host.problem ?? leaderProblem(host, all),
		});
	}
	const snapshot: Snapshot = {
		generatedAt: input.nowMs,
		tick: input.refreshes,
		jobsDir: input.prometheus,
		jobsDirExists: true,
		jobs: Array.from(jobs.values(), job => job.view),
		auto: false,
		dryRun: false,
		actor: {acting: false, leader: null, problem: null},
		interventionsLastHour: input.interventionsLastHour,
		// The hosts' limits are not exported.
		maxInterventions: 0,
		recentAudit: input.recentAudit,
		watchMode: 'watch',
		notices: [],
		fleet: {prometheus: input.prometheus, hosts, problem: input.problem, refreshedMs: input.refreshedMs},
	};
	return {snapshot, jobs};
}

const rank = (view: JobView): number => (view.stale ? 0 : 10) + severities.indexOf(view.severity);

/** A live host with monitored work whose jobs directory no live sentinel leads: nothing acts there on its own. */
function leaderProblem(host: HostState, all: readonly HostState[]): string | null {
	if (host.stale) return null;
	const led = all.some(other => !other.stale && other.leader && other.host === host.host && other.jobsDir === host.jobsDir);
	if (led) return null;
	for (const job of host.jobs.values()) if ((job.reading.severity ?? 0) > 0) return 'no sentinel acts on its jobs (none holds the leader lock)';
	return null;
}
