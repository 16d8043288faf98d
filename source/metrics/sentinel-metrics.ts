import {Counter, Gauge, Histogram, type Registry} from 'prom-client';
import type {Snapshot} from '../sentinel/snapshot.js';
import {severities, type ActionName, type ActionResult, type Actor, type AuditEntry} from '../types.js';
import {labelValue} from './label-value.js';

const actions: ActionName[] = ['notify', 'recover', 'terminate'];
const results: ActionResult[] = ['started', 'ok', 'failed', 'skipped', 'dry-run'];
const actors: Actor[] = ['auto', 'user'];

/** What this sentinel is, for `sentinel_info`. */
export type SentinelIdentity = {version: string; host: string; jobsDir: string};

/** The sentinel-wide metrics of SPEC section 14. */
export class SentinelMetrics {
	private readonly jobs: Gauge<'severity'>;
	private readonly interventions: Counter<'action' | 'result' | 'actor'>;
	private readonly leader: Gauge;
	private readonly ticks: Histogram;

	constructor(registry: Registry, identity: SentinelIdentity) {
		const registers = [registry];
		this.jobs = new Gauge({name: 'sentinel_jobs', help: 'Jobs by severity ("invalid" for manifests that cannot be read or validated)', labelNames: ['severity'], registers});
		this.interventions = new Counter({name: 'sentinel_interventions_total', help: 'Audit entries this sentinel wrote, by action, result and actor', labelNames: ['action', 'result', 'actor'], registers});
		this.leader = new Gauge({name: 'sentinel_leader', help: 'Whether this sentinel holds the leader lock and acts (1) or observes (0)', registers});
		// A tick reads /proc and every job's files: milliseconds with few jobs, some tenths of a second with thousands.
		this.ticks = new Histogram({name: 'sentinel_tick_seconds', help: 'Time one tick took: sample, assess, act', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers});
		const info = new Gauge({name: 'sentinel_info', help: 'This sentinel: version, host and jobs directory, as labels (always 1)', labelNames: ['version', 'host', 'jobs_dir'], registers});
		info.set({version: labelValue(identity.version), host: labelValue(identity.host), jobs_dir: labelValue(identity.jobsDir)}, 1);
		// Every series of the counter exists from the start at 0, so the first skipped or failed
		// action is an increase Prometheus sees, not the birth of a series it cannot rate.
		for (const action of actions) for (const result of results) for (const actor of actors) this.interventions.inc({action, result, actor}, 0);
	}

	update(snapshot: Snapshot): void {
		const counts = new Map<string, number>([...severities, 'invalid'].map(severity => [severity, 0]));
		for (const view of snapshot.jobs) {
			const key = view.job.valid ? view.severity : 'invalid';
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		for (const [severity, count] of counts) this.jobs.set({severity}, count);
		this.leader.set(snapshot.actor.acting ? 1 : 0);
	}

	intervened(entry: AuditEntry): void {
		this.interventions.inc({action: entry.action, result: entry.result, actor: entry.actor});
	}

	ticked(seconds: number): void {
		this.ticks.observe(seconds);
	}
}
