// The fleet view's engine against a real Prometheus (1 s scrapes on loopback) and three headless
// sentinels standing for three hosts: every host's jobs in one snapshot, a host that stops kept
// and marked stale, Prometheus gone said and its last data kept.
import {describe, expect, it} from 'vitest';
import {readRound} from '../../source/fleet/fleet-round.js';
import {sparkLength} from '../../source/sentinel/job-state.js';
import {fleetSnapshot, startFleetHosts, startTestFleet, tempDirIsPlain} from '../helpers/fleet.js';
import {processStart, startSleeper} from '../helpers/job-faults.js';
import {waitFor} from '../helpers/processes.js';
import {startPrometheus} from '../helpers/prometheus.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import type {Snapshot} from '../../source/sentinel/snapshot.js';

const hostNames = ['alpha', 'bravo', 'charlie'];

/** Three jobs directories of two jobs each, `<host>-1` and `<host>-2`. */
function jobsDirs() {
	return hostNames.map(host => {
		const jobsDir = makeTempDir(`sentinel-fleet-${host}-`);
		for (const n of [1, 2]) writeJob(jobsDir, `${host}-${n}`, {job_id: `${host}-${n}`, status: 'PENDING', role: 'worker'});
		return {host, jobsDir};
	});
}

const jobsOf = (snapshot: Snapshot) => snapshot.jobs.map(view => ({host: view.host, id: view.job.jobId, dir: view.job.dir, stale: view.stale})).sort((a, b) => a.id.localeCompare(b.id));

describe('the fleet over a real Prometheus and three sentinels', () => {
	it.skipIf(!tempDirIsPlain)('shows every job of every host with its host, and keeps a stopped host stale', {timeout: 90_000}, async () => {
		const dirs = jobsDirs();
		const {hosts, prometheus} = await startFleetHosts(dirs);
		const fleet = startTestFleet({prometheus: prometheus.url, intervalMs: 500});

		const all = await fleetSnapshot(fleet, snapshot => snapshot.jobs.length === 6 && snapshot.fleet!.hosts.length === 3);
		expect(jobsOf(all)).toEqual(
			dirs.flatMap(({host, jobsDir}) => [1, 2].map(n => ({host, id: `${host}-${n}`, dir: `${host}:${jobsDir}/${host}-${n}`, stale: false}))),
		);
		expect(all.fleet!.problem).toBeNull();
		expect(all.fleet!.prometheus).toBe(prometheus.url);
		const shown = all.fleet!.hosts.map(({host, instance, jobsDir, stale, problem}) => ({host, instance, jobsDir, stale, problem}));
		expect(shown.sort((a, b) => a.host.localeCompare(b.host))).toEqual(hosts.map(({host, address, jobsDir}) => ({host, instance: address, jobsDir, stale: false, problem: null})));
		for (const host of all.fleet!.hosts) expect(all.generatedAt - host.lastScrapeMs!).toBeLessThan(10_000);
		const view = all.jobs.find(one => one.job.jobId === 'alpha-1')!;
		expect(view.job.valid && view.job.status).toBe('PENDING');
		expect(view.severity).toBe('ok');
		expect(view.assessment!.evidence[0]!.message).toContain('from Prometheus');

		// bravo's sentinel stops: its jobs stay, stale, and so does bravo.
		await hosts[1]!.sentinel.stop();
		const stopped = await fleetSnapshot(fleet, snapshot => snapshot.fleet!.hosts.find(host => host.host === 'bravo')!.stale);
		expect(jobsOf(stopped).map(({id, stale}) => `${id}${stale ? ' stale' : ''}`)).toEqual(['alpha-1', 'alpha-2', 'bravo-1 stale', 'bravo-2 stale', 'charlie-1', 'charlie-2']);
		expect(stopped.fleet!.hosts.find(host => host.host === 'bravo')!.problem).toMatch(/down|gone/);
		expect(stopped.fleet!.problem).toBeNull();

		// Prometheus is killed: said, and every job kept, stale.
		await prometheus.kill();
		const gone = await fleetSnapshot(fleet, snapshot => snapshot.fleet!.problem !== null);
		expect(gone.fleet!.problem).toContain(`Prometheus at ${prometheus.url} is unreachable (ECONNREFUSED)`);
		expect(jobsOf(gone).map(({id, stale}) => `${id}${stale ? ' stale' : ''}`)).toEqual(['alpha-1 stale', 'alpha-2 stale', 'bravo-1 stale', 'bravo-2 stale', 'charlie-1 stale', 'charlie-2 stale']);
		expect(gone.fleet!.hosts.every(host => host.stale)).toBe(true);
		// It goes on refreshing, and says it each time.
		const tick = gone.tick;
		const later = await fleetSnapshot(fleet, snapshot => snapshot.tick > tick + 1);
		expect(later.fleet!.problem).toBe(gone.fleet!.problem);
		expect(later.jobs).toHaveLength(6);
	});

	it.skipIf(!tempDirIsPlain)("reads the open detail's job history from a range query, the table's from the scrapes it saw", {timeout: 90_000}, async () => {
		const jobsDir = makeTempDir('sentinel-fleet-history-');
		const pid = await startSleeper();
		writeJob(jobsDir, 'busy', {job_id: 'busy', status: 'RUNNING', role: 'worker', pid, process_start: processStart(pid), last_activity: new Date().toISOString()});
		const {prometheus} = await startFleetHosts([{host: 'alpha', jobsDir}]);
		// More scrapes stored than a sparkline of the table holds, before the fleet view starts.
		const stored = async () => (await prometheus.query('count_over_time(sentinel_job_memory_bytes[5m])')).some(sample => Number(sample.value[1]) > sparkLength + 1);
		expect(await waitFor(stored, 30_000, 250)).toBe(true);
		const fleet = startTestFleet({prometheus: prometheus.url, intervalMs: 500});
		const first = await fleetSnapshot(fleet, snapshot => snapshot.jobs.length === 1 && snapshot.jobs[0]!.sample !== null);
		const dir = first.jobs[0]!.job.dir;
		expect(first.jobs[0]!.rssHistory.length).toBeLessThanOrEqual(2);

		fleet.showHistory(dir);
		const detailed = await fleetSnapshot(fleet, snapshot => snapshot.jobs[0]!.rssHistory.length > sparkLength + 1);
		expect(detailed.jobs[0]!.rssHistory.every(bytes => bytes > 0)).toBe(true);
		expect(detailed.jobs[0]!.cpuHistory.length).toBe(detailed.jobs[0]!.rssHistory.length);
		fleet.showHistory(null);
		expect(fleet.getSnapshot().jobs[0]!.rssHistory.length).toBeLessThanOrEqual(sparkLength);
	});

	it("reads a sentinel's leader flag and status whose target has no label but instance and job, as its up has", {timeout: 90_000}, async () => {
		const jobsDir = makeTempDir('sentinel-fleet-plain-target-');
		writeJob(jobsDir, 'lone', {job_id: 'lone', status: 'PENDING', role: 'supervisor'});
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--metrics', '127.0.0.1:0']);
		const address = (await sentinel.waitForLine(one => one.type === 'sentinel.started'))['metrics'] as string;
		// A target without labels of its own: its up and sentinel_leader differ by their names alone.
		const prometheus = await startPrometheus([address]);
		const scraped = async () => (await readRound(prometheus.url)).get(address)?.jobs.get('lone')?.severity !== undefined;
		expect(await waitFor(scraped, 30_000, 250)).toBe(true);
		const round = (await readRound(prometheus.url)).get(address)!;
		expect(round).toMatchObject({up: 1, leader: true, info: {host: expect.any(String), jobsDir}});
		expect(round.jobs.get('lone')).toMatchObject({status: 'PENDING', role: 'supervisor', severity: 0});
	});
});
