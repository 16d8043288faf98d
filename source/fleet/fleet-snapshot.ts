import type {FleetHost, JobView, Snapshot} from '../sentinel/snapshot.js';
import {severities} from '../types.js';
import type {JobHistory} from './fleet-history.js';
import type {HostState} from './fleet-hosts.js';
import {fleetJobDir, fleetJobView} from './fleet-job-view.js';
import {shownLabel} from './plain-label.js';

/** A job of the fleet as actions find it: its view, its host and its job_id as labelled (raw). */
export type FleetJob = {view: JobView; host: HostState; jobId: string};

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
};

/** The fleet as a dashboard snapshot, and its jobs by dir (each dir once: the live, then the worse). */
export function fleetSnapshot(input: FleetSnapshotInput): {snapshot: Snapshot; jobs: Map<string, FleetJob>} {
	const jobs = new Map<string, FleetJob>();
	const hosts: FleetHost[] = [];
	const all = [...input.hosts];
	for (const host of all) {
		for (const [jobId, hostJob] of host.jobs) {
			const dir = fleetJobDir(host, jobId);
			let view = fleetJobView(host, hostJob, input.paused.has(dir));
			if (input.focus?.dir === dir) view = {...view, cpuHistory: input.focus.cpuHistory, rssHistory: input.focus.rssHistory};
			const held = jobs.get(dir);
			// Two sentinels on one host and jobs directory (a dashboard beside a headless one) report the same jobs.
			if (!held || rank(view) > rank(held.view)) jobs.set(dir, {view, host, jobId});
		}
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
		jobs: [...jobs.values()].map(job => job.view),
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
	const busy = [...host.jobs.values()].some(job => (job.reading.severity ?? 0) > 0);
	const led = all.some(other => !other.stale && other.leader && other.host === host.host && other.jobsDir === host.jobsDir);
	return busy && !led ? 'no sentinel acts on its jobs (none holds the leader lock)' : null;
}
