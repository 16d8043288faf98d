import {performance} from 'node:perf_hooks';
import type {EngineHandle, Snapshot} from '../sentinel/snapshot.js';
import {sanitize} from '../text/sanitize.js';
import {fleetEntry, newActionId, type EntrySubject, type FleetAuditEntry} from './fleet-audit.js';
import {readHistory, type JobHistory} from './fleet-history.js';
import {FleetHosts} from './fleet-hosts.js';
import {refusal} from './fleet-job-view.js';
import {readRound} from './fleet-round.js';
import {fleetSnapshot, type FleetJob, type MadeViews} from './fleet-snapshot.js';
import {InterventionsSeen} from './interventions-seen.js';
import {shownLabel} from './plain-label.js';
import {PrometheusError} from './prometheus-api.js';
import {defaultRemoteCommand, parseRemoteCommand, remoteArgv, type RemoteAction} from './remote-command.js';
import {remoteTimeoutMs, runRemote} from './remote-run.js';

export {defaultRemoteCommand} from './remote-command.js';
export type {FleetAuditEntry} from './fleet-audit.js';

export type FleetOptions = {
	/** Prometheus's base URL (`http://prometheus:9090`); credentials in it are never shown. */
	prometheus: string;
	/** Time between the starts of two refreshes; a slow refresh delays the next, never overlaps it. */
	intervalMs: number;
	/** `--remote-command`: argv, shell-quoted, with `{host}`; default {@link defaultRemoteCommand}. */
	remoteCommand?: string;
	/** The clock (epoch ms): ages, entries' stamps and the range queries' window. */
	now?: () => number;
	/** Told after each refresh how long it took (bench/fleet.js measures SPEC section 9's 200 ms with it). */
	onRefresh?: (refresh: FleetRefresh) => void;
	/** How long an action on a host may run before it is killed; 30 s. */
	actionTimeoutMs?: number;
};

/** One refresh, as `onRefresh` hears of it. */
export type FleetRefresh = {
	/** From sending the queries to having every answer parsed, in ms. */
	queryMs: number;
	/** The whole refresh, the snapshot made and published included, in ms. */
	durationMs: number;
	problem: string | null;
	hosts: number;
	jobs: number;
};

/** The fleet as the dashboard drives it, and two things only the fleet has. */
export type FleetHandle = EngineHandle & {
	/** Read this job's (by `job.dir`) CPU and memory of the last 5 minutes with each refresh, for the detail view; null stops. */
	showHistory: (dir: string | null) => void;
	/** A refresh now (after the one under way, if any); resolves once it is published. */
	refresh: () => Promise<void>;
};

/** Entries kept for the log panel. */
const auditKept = 100;

/**
 * `sentinel-tui fleet`'s engine: every sentinel Prometheus scrapes, refreshed each interval with
 * one round of queries, as snapshots the dashboard reads; `x`, `r` and `p` run the action
 * commands on the job's host through the remote command (SPEC section 14). Throws when the
 * remote command's template cannot be used.
 */
export function startFleet(options: FleetOptions): FleetHandle {
	const template = parseRemoteCommand(options.remoteCommand ?? defaultRemoteCommand);
	if ('problem' in template) throw new Error(template.problem);
	const templateArgv = template.argv;
	const now = options.now ?? Date.now;
	const prometheus = withoutCredentials(options.prometheus);
	const hosts = new FleetHosts();
	const interventions = new InterventionsSeen();
	const listeners = new Set<() => void>();
	const paused = new Set<string>();
	const busy = new Set<string>();
	const actions = new Set<Promise<unknown>>();
	let recentAudit: FleetAuditEntry[] = [];
	let problem: string | null = null;
	let refreshedMs: number | null = null;
	let refreshes = 0;
	let focusDir: string | null = null;
	let focus: ({dir: string} & JobHistory) | null = null;
	let running: Promise<void> | null = null;
	let queued: Promise<void> | null = null;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const leave = new AbortController();
	// The views the snapshots made, for the next to keep what did not change.
	const made: MadeViews = new Map();
	let current = publishable();

	function publishable() {
		const nowMs = now();
		return fleetSnapshot({hosts: hosts.byInstance.values(), prometheus, problem, refreshedMs, refreshes, nowMs, paused, focus, recentAudit, interventionsLastHour: interventions.lastHour(nowMs), made});
	}

	function publish(): void {
		current = publishable();
		for (const listener of listeners) listener();
	}

	async function round(): Promise<void> {
		const began = performance.now();
		const focused = focusDir === null ? undefined : current.jobs.get(focusDir);
		let queryMs = 0;
		try {
			const [readings, history] = await Promise.all([
				readRound(options.prometheus, leave.signal),
				focused ? readHistory(options.prometheus, focused.host, focused.jobId, now(), options.intervalMs, leave.signal) : null,
			]);
			queryMs = performance.now() - began;
			const nowMs = now();
			hosts.apply(readings, nowMs);
			for (const host of hosts.byInstance.values()) if (!host.stale) interventions.saw(host.instance, host.actionsStarted, nowMs);
			// The detail may have closed, or turned to another job, while the round was out.
			focus = focused && history && focusDir === focused.view.job.dir ? {dir: focusDir, ...history} : null;
			problem = null;
			refreshedMs = nowMs;
		} catch (error) {
			queryMs = performance.now() - began;
			hosts.markAllStale();
			const why = error instanceof PrometheusError ? error.message : `could not be asked: ${error instanceof Error ? error.message : String(error)}`;
			// What Prometheus said in its error is another machine's text.
			problem = sanitize(`Prometheus at ${prometheus} ${why}; showing the last data, stale`);
		}
		// A round the stop cut short says nothing: nobody reads it.
		if (stopped) return;
		refreshes++;
		publish();
		options.onRefresh?.({queryMs, durationMs: performance.now() - began, problem, hosts: hosts.byInstance.size, jobs: current.jobs.size});
	}

	function refresh(): Promise<void> {
		// Asked for while a round is out: one more round after it, however often it was asked.
		if (running) {
			queued ??= running.then(() => {
				queued = null;
				return refresh();
			});
			return queued;
		}
		clearTimeout(timer);
		const began = performance.now();
		running = round().finally(() => {
			running = null;
			if (!stopped) timer = setTimeout(() => void refresh(), Math.max(0, options.intervalMs - (performance.now() - began)));
		});
		return running;
	}

	function record(entry: FleetAuditEntry): FleetAuditEntry {
		recentAudit = [...recentAudit, entry].slice(-auditKept);
		publish();
		return entry;
	}

	async function run(job: FleetJob | undefined, subject: EntrySubject, action: RemoteAction): Promise<FleetAuditEntry> {
		const actionId = newActionId();
		const refuse = (why: string) => record(fleetEntry(subject, action, actionId, now(), {refused: why}));
		if (!job) return refuse('no such job in the fleet now');
		const refused = refusal(job.host, job.jobId);
		if (refused) return refuse(`${refused}: nothing run`);
		const {dir} = job.view.job;
		if (busy.has(dir)) return refuse('an action on this job is already under way from this view');
		if (stopped) return refuse('the fleet view is stopping');
		busy.add(dir);
		record(fleetEntry(subject, action, actionId, now(), null));
		const argv = remoteArgv(templateArgv, job.host.host, action, job.jobId, job.host.jobsDir);
		const running = runRemote(argv, options.actionTimeoutMs ?? remoteTimeoutMs);
		actions.add(running);
		const outcome = await running.finally(() => {
			actions.delete(running);
			busy.delete(dir);
		});
		const entry = fleetEntry(subject, action, actionId, now(), outcome);
		if (entry.result === 'ok' && action === 'pause') paused.add(dir);
		if (entry.result === 'ok' && action === 'resume') paused.delete(dir);
		return record(entry);
	}

	const subjectOf = (job: FleetJob | undefined, jobId: string): EntrySubject => ({jobId: job?.view.job.jobId ?? shownLabel(jobId), host: job?.view.host ?? '', severity: job?.view.severity ?? 'ok'});

	void refresh();
	return {
		getSnapshot: (): Snapshot => current.snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		act(action, target) {
			const job = current.jobs.get(target.dir);
			return run(job, subjectOf(job, target.jobId), action);
		},
		// Automatic action belongs to each host's own sentinel; the fleet view never acts on its own.
		setAuto() {},
		setPaused(key, pause) {
			// A job's dir names it on one host; a job_id only when no other host has one by that name.
			const byId = [...current.jobs.values()].filter(job => job.view.job.jobId === key);
			const job = current.jobs.get(key) ?? (byId.length === 1 ? byId[0] : undefined);
			const subject = subjectOf(job, key);
			if (!job && byId.length > 1) {
				record(fleetEntry(subject, pause ? 'pause' : 'resume', newActionId(), now(), {refused: `${byId.length} hosts have a job ${subject.jobId}: name it by its row (job.dir)`}));
				return;
			}
			void run(job, subject, pause ? 'pause' : 'resume');
		},
		showHistory(dir) {
			focusDir = dir;
			if (dir !== null) void refresh();
			else if (focus) {
				focus = null;
				publish();
			}
		},
		refresh,
		async stop() {
			stopped = true;
			clearTimeout(timer);
			leave.abort();
			await running;
			// An action the operator confirmed runs to its end (30 s at most): its result is what they wait for.
			await Promise.allSettled([...actions]);
		},
	};
}

/** The URL as the screen shows it: no user or password. */
function withoutCredentials(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		return sanitize(parsed.toString().replace(/\/$/, ''));
	} catch {
		return sanitize(url);
	}
}
