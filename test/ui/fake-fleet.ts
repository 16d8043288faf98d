import type {FleetHost, FleetState, JobView, Snapshot} from '../../source/sentinel/snapshot.js';
import {makeJob, makeSnapshot, now, type JobSpec} from './fake-engine.js';

/** A host as the fleet sees it through Prometheus: scraped `ageMs` ago, or stale. */
export function makeHost(host: string, ageMs = 1000, stale = false): FleetHost {
	return {host, instance: `127.0.0.1:91${host.length}0`, jobsDir: `/srv/${host}/jobs`, lastScrapeMs: now - ageMs, stale, problem: stale ? 'down: the scrape failed' : null};
}

/** A fleet job: its host, its stale mark, no pid or process tree (Prometheus has none). */
export function makeFleetJob(host: string, spec: JobSpec & {stale?: boolean}): JobView {
	const view = makeJob({dir: `/srv/${host}/jobs/${spec.id}`, pid: null, sample: null, command: null, ...spec});
	return {...view, host, ...(spec.stale ? {stale: true} : {})};
}

/** A fleet snapshot over `hosts` and `jobs`, refreshed at `now`. */
export function makeFleetSnapshot(hosts: FleetHost[], jobs: JobView[], overrides: Omit<Partial<Snapshot>, 'fleet'> & {fleet?: Partial<FleetState>} = {}): Snapshot {
	const {fleet, ...rest} = overrides;
	return makeSnapshot({
		jobsDir: 'http://127.0.0.1:9090',
		jobs,
		auto: false,
		actor: {acting: false, leader: null, problem: null},
		...rest,
		fleet: {prometheus: 'http://127.0.0.1:9090', hosts, problem: null, refreshedMs: now, ...fleet},
	});
}
