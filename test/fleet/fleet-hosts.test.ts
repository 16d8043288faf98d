import {describe, expect, it} from 'vitest';
import {FleetHosts} from '../../source/fleet/fleet-hosts.js';
import {fleetJobView} from '../../source/fleet/fleet-job-view.js';
import {fleetSnapshot, type MadeViews} from '../../source/fleet/fleet-snapshot.js';
import {InterventionsSeen} from '../../source/fleet/interventions-seen.js';
import {joinRound, RoundJoin} from '../../source/fleet/fleet-round.js';
import type {InstantSample} from '../../source/fleet/prometheus-api.js';
import {sparkLength} from '../../source/sentinel/job-state.js';
import type {Snapshot} from '../../source/sentinel/snapshot.js';

const at = 1_800_000_000;
const sample = (metric: Record<string, string>, value: number, evaluated = at): InstantSample => ({metric, value: [evaluated, String(value)]});

/** What Prometheus answers for one sentinel scraped `ageS` seconds before `evaluated`. */
function sentinel(instance: string, host: string, jobs: Record<string, {severity: number; diagnosis?: string; phi?: number}>, ageS = 1, evaluated = at, leader = 1) {
	const series = [
		sample({__name__: 'up', instance}, 1, evaluated),
		sample({__name__: 'sentinel_info', instance, host, jobs_dir: '/srv/jobs', version: '0.1.0'}, 1, evaluated),
		sample({__name__: 'sentinel_leader', instance}, leader, evaluated),
		sample({__name__: 'sentinel_interventions_total', instance, action: 'recover', result: 'started', actor: 'auto'}, 2, evaluated),
	];
	const cadences: InstantSample[] = [];
	for (const [jobId, {severity, diagnosis, phi}] of Object.entries(jobs)) {
		if (phi) cadences.push(sample({__name__: 'sentinel_job_cadence_phi', instance, job_id: jobId}, phi, evaluated));
		series.push(
			sample({__name__: 'sentinel_job_severity', instance, job_id: jobId, role: 'supervisor'}, severity, evaluated),
			sample({__name__: 'sentinel_job_info', instance, job_id: jobId, role: 'supervisor', status: 'RUNNING', diagnosis: diagnosis ?? ''}, 1, evaluated),
			sample({__name__: 'sentinel_job_silence_seconds', instance, job_id: jobId}, 125, evaluated),
			sample({__name__: 'sentinel_job_cpu_ratio', instance, job_id: jobId}, 0.5, evaluated),
			sample({__name__: 'sentinel_job_memory_bytes', instance, job_id: jobId}, 1e6, evaluated),
		);
	}
	return {series, scrapes: [sample({instance, host, jobs_dir: '/srv/jobs'}, evaluated - ageS, evaluated)], cadences};
}

describe('joining a round of series to hosts and jobs', () => {
	it('groups by instance and job, with each scrape age from its own answer', () => {
		const a = sentinel('10.0.0.1:9742', 'alpha', {j1: {severity: 3, diagnosis: 'waiting-on-lock', phi: 4.25}}, 2);
		const round = joinRound(a.series, a.scrapes, a.cadences);
		const reading = round.get('10.0.0.1:9742')!;
		expect(reading).toMatchObject({up: 1, info: {host: 'alpha', jobsDir: '/srv/jobs'}, scrapeAgeMs: 2000, leader: true, actionsStarted: 2});
		expect(reading.jobs.get('j1')).toEqual({jobId: 'j1', role: 'supervisor', status: 'RUNNING', diagnosis: 'waiting-on-lock', severity: 3, silenceSeconds: 125, cpuRatio: 0.5, memoryBytes: 1e6, phi: 4.25});
	});

	it('joins the answers of a round in whatever order they come, each with only the labels its query keeps', () => {
		const round = new RoundJoin();
		// A gauge's answer (max by instance and job_id) before the info's and the scrape's.
		round.gauge('silenceSeconds', [sample({instance: 'i:1', job_id: 'j1'}, 125)]);
		round.cadences([sample({instance: 'i:1', job_id: 'j1'}, 2.5)]);
		round.infos([sample({instance: 'i:1', job_id: 'j1', status: 'RUNNING', role: 'supervisor', diagnosis: 'sleeping'}, 1)]);
		round.gauge('severity', [sample({instance: 'i:1', job_id: 'j1'}, 2)]);
		round.scrapes([sample({instance: 'i:1', host: 'alpha', jobs_dir: '/srv/jobs', job: 'sentinel-tui'}, at - 3)]);
		round.hosts([sample({__name__: 'up', instance: 'i:1'}, 1), sample({__name__: 'sentinel_leader', instance: 'i:1'}, 1), sample({__name__: 'sentinel_interventions_total', instance: 'i:1', result: 'started'}, 4)]);
		const reading = round.instances.get('i:1')!;
		expect(reading).toMatchObject({up: 1, leader: true, actionsStarted: 4, info: {host: 'alpha', jobsDir: '/srv/jobs'}, scrapeAgeMs: 3000});
		expect(reading.jobs.get('j1')).toEqual({jobId: 'j1', role: 'supervisor', status: 'RUNNING', diagnosis: 'sleeping', severity: 2, silenceSeconds: 125, cpuRatio: null, memoryBytes: null, phi: 2.5});
	});

	it('makes a view from what Prometheus knows, saying so, and a host-invalid job invalid', () => {
		const a = sentinel('i:1', 'alpha', {j1: {severity: 3, diagnosis: 'waiting-on-lock', phi: 4.25}, broken: {severity: -1}});
		const hosts = new FleetHosts();
		hosts.apply(joinRound(a.series, a.scrapes, a.cadences), at * 1000);
		const host = hosts.byInstance.get('i:1')!;
		const view = fleetJobView(host, host.jobs.get('j1')!, false);
		expect(view).toMatchObject({host: 'alpha', stale: false, severity: 'high', sample: {cpuPercent: 50, rssBytes: 1e6, processes: []}, cpuHistory: [50], rssHistory: [1e6]});
		expect(view.job).toMatchObject({valid: true, jobId: 'j1', dir: 'alpha:/srv/jobs/j1', status: 'RUNNING', role: 'supervisor', pid: null});
		expect(view.assessment).toMatchObject({severity: 'high', silenceMs: 125_000, monitored: true, diagnosis: {kind: 'waiting-on-lock', pid: null}});
		expect(view.assessment!.evidence.map(signal => signal.message)).toEqual(['severity high, silent 2m05s, from Prometheus (i:1)', 'phi 4.3, from Prometheus (i:1)']);
		// Scraped a second before the round; silent 125 s then.
		expect(view.lastActivityMs).toBe(at * 1000 - 1000 - 125_000);
		const broken = fleetJobView(host, host.jobs.get('broken')!, false);
		expect(broken.job).toMatchObject({valid: false, error: expect.stringContaining('invalid on its host')});
	});

	it('shows labels sanitised, and refuses the ones that are not plain', () => {
		const a = sentinel('i:1', 'al\u001B[31mpha', {'j\u202Eob': {severity: 2}});
		const hosts = new FleetHosts();
		hosts.apply(joinRound(a.series, a.scrapes), at * 1000);
		const host = hosts.byInstance.get('i:1')!;
		const view = fleetJobView(host, [...host.jobs.values()][0]!, false);
		expect(view.host).toBe('alpha');
		expect(view.job).toMatchObject({valid: false, jobId: 'job', dir: 'alpha:/srv/jobs/job', error: expect.stringMatching(/^host alpha: its host label is not plain.*; severity medium on its host$/)});
	});
});

describe('hosts across refreshes', () => {
	it('keeps a host that went down, and its jobs, stale; back up, it is live again', () => {
		const hosts = new FleetHosts();
		const a = sentinel('i:1', 'alpha', {j1: {severity: 0}});
		hosts.apply(joinRound(a.series, a.scrapes), at * 1000);
		// Down: Prometheus has up 0 and no sentinel_info (a staleness marker ended it).
		hosts.apply(joinRound([sample({__name__: 'up', instance: 'i:1'}, 0)], []), at * 1000 + 2000);
		expect(hosts.byInstance.get('i:1')).toMatchObject({stale: true, problem: 'down: Prometheus cannot scrape it', lastScrapeMs: at * 1000 - 1000});
		expect([...hosts.byInstance.get('i:1')!.jobs.keys()]).toEqual(['j1']);
		hosts.apply(joinRound([], []), at * 1000 + 4000);
		expect(hosts.byInstance.get('i:1')).toMatchObject({stale: true, problem: 'gone from Prometheus'});
		const back = sentinel('i:1', 'alpha', {j2: {severity: 1}}, 1, at + 6);
		hosts.apply(joinRound(back.series, back.scrapes), at * 1000 + 6000);
		expect(hosts.byInstance.get('i:1')).toMatchObject({stale: false, problem: null});
		expect([...hosts.byInstance.get('i:1')!.jobs.keys()]).toEqual(['j2']);
	});

	it('marks a host stale once its last scrape is three scrape spacings old', () => {
		const hosts = new FleetHosts();
		const round = (scrapedS: number, nowS: number) => {
			const a = sentinel('i:1', 'alpha', {j1: {severity: 0}}, nowS - scrapedS, nowS);
			hosts.apply(joinRound(a.series, a.scrapes), nowS * 1000);
			return hosts.byInstance.get('i:1')!;
		};
		round(at, at);
		expect(round(at + 10, at + 10)).toMatchObject({spacingMs: 10_000, stale: false});
		// Series still there (no staleness marker), but no new scrape for 30 s, then 31.
		expect(round(at + 10, at + 40).stale).toBe(false);
		expect(round(at + 10, at + 41)).toMatchObject({stale: true, problem: 'not scraped for 31 s'});
		// The history grew once a scrape, not once a refresh.
		expect(hosts.byInstance.get('i:1')!.jobs.get('j1')!.cpuHistory).toEqual([50, 50]);
	});

	it('keeps every host and its jobs when Prometheus cannot be read', () => {
		const hosts = new FleetHosts();
		const a = sentinel('i:1', 'alpha', {j1: {severity: 4}});
		hosts.apply(joinRound(a.series, a.scrapes), at * 1000);
		hosts.markAllStale();
		expect(hosts.byInstance.get('i:1')).toMatchObject({stale: true});
		expect(fleetJobView(hosts.byInstance.get('i:1')!, hosts.byInstance.get('i:1')!.jobs.get('j1')!, false)).toMatchObject({stale: true, severity: 'critical'});
	});
});

describe('the fleet as a snapshot', () => {
	const snapshotOf = (hosts: FleetHosts) =>
		fleetSnapshot({hosts: hosts.byInstance.values(), prometheus: 'http://p', problem: null, refreshedMs: null, refreshes: 1, nowMs: at * 1000, paused: new Set(), focus: null, recentAudit: [], interventionsLastHour: 0}).snapshot;

	it("keeps a job's view while its host's scrape did not move and its values did not change; makes it again when they do", () => {
		const hosts = new FleetHosts();
		const made: MadeViews = new Map();
		const snap = (nowMs: number, paused: ReadonlySet<string> = new Set()) =>
			fleetSnapshot({hosts: hosts.byInstance.values(), prometheus: 'http://p', problem: null, refreshedMs: nowMs, refreshes: 1, nowMs, paused, focus: null, recentAudit: [], interventionsLastHour: 0, made}).snapshot;
		const byDir = (snapshot: Snapshot) => new Map(snapshot.jobs.map(view => [view.job.dir, view]));
		hosts.apply(joinRound(sentinel('i:1', 'alpha', {j1: {severity: 0}, j2: {severity: 0, diagnosis: 'sleeping'}}).series, sentinel('i:1', 'alpha', {}).scrapes), at * 1000);
		const first = byDir(snap(at * 1000));
		// A second later Prometheus has not scraped it again: the same scrape, a second older, the same values.
		const same = sentinel('i:1', 'alpha', {j1: {severity: 0}, j2: {severity: 0, diagnosis: 'sleeping'}}, 2, at + 1);
		hosts.apply(joinRound(same.series, same.scrapes), at * 1000 + 1000);
		const kept = byDir(snap(at * 1000 + 1000));
		expect(kept.get('alpha:/srv/jobs/j1')).toBe(first.get('alpha:/srv/jobs/j1'));
		expect(kept.get('alpha:/srv/jobs/j2')).toBe(first.get('alpha:/srv/jobs/j2'));
		// Paused here: that job's view is made again, the other kept.
		const paused = byDir(snap(at * 1000 + 1000, new Set(['alpha:/srv/jobs/j2'])));
		expect(paused.get('alpha:/srv/jobs/j1')).toBe(first.get('alpha:/srv/jobs/j1'));
		expect(paused.get('alpha:/srv/jobs/j2')).toMatchObject({paused: true});
		// Scraped again: every view is made again, each history one value longer; one job's severity changed.
		const next = sentinel('i:1', 'alpha', {j1: {severity: 3}, j2: {severity: 0, diagnosis: 'sleeping'}}, 0, at + 2);
		hosts.apply(joinRound(next.series, next.scrapes), at * 1000 + 2000);
		const moved = byDir(snap(at * 1000 + 2000));
		expect(moved.get('alpha:/srv/jobs/j1')).toMatchObject({severity: 'high', cpuHistory: [50, 50]});
		expect(moved.get('alpha:/srv/jobs/j2')).not.toBe(first.get('alpha:/srv/jobs/j2'));
		expect(moved.get('alpha:/srv/jobs/j2')).toMatchObject({severity: 'ok', cpuHistory: [50, 50], lastActivityMs: at * 1000 + 2000 - 125_000});
		// Its record (labels, status, role) and its diagnosis are the ones it had.
		expect(moved.get('alpha:/srv/jobs/j2')!.job).toBe(first.get('alpha:/srv/jobs/j2')!.job);
		expect(moved.get('alpha:/srv/jobs/j2')!.assessment!.diagnosis).toMatchObject({kind: 'sleeping'});
		expect(moved.get('alpha:/srv/jobs/j2')!.assessment!.diagnosis).toBe(first.get('alpha:/srv/jobs/j2')!.assessment!.diagnosis);
		// A job gone from its host is gone from the view.
		const fewer = sentinel('i:1', 'alpha', {j2: {severity: 0, diagnosis: 'sleeping'}}, 0, at + 3);
		// ... and the one left changed its status: a new record.
		fewer.series = fewer.series.map(one => (one.metric['__name__'] === 'sentinel_job_info' ? {...one, metric: {...one.metric, status: 'REVIEWING'}} : one));
		hosts.apply(joinRound(fewer.series, fewer.scrapes), at * 1000 + 3000);
		const last = byDir(snap(at * 1000 + 3000));
		expect([...last.keys()]).toEqual(['alpha:/srv/jobs/j2']);
		expect(last.get('alpha:/srv/jobs/j2')!.job).toMatchObject({valid: true, status: 'REVIEWING'});
	});

	it('keeps a full history that a new scrape does not change as the same array, and grows one that it does', () => {
		const hosts = new FleetHosts();
		const history = () => hosts.byInstance.get('i:1')!.jobs.get('j1')!;
		for (let scrape = 0; scrape <= sparkLength; scrape++) {
			const round = sentinel('i:1', 'alpha', {j1: {severity: 0}}, 0, at + scrape);
			hosts.apply(joinRound(round.series, round.scrapes), (at + scrape) * 1000);
		}
		const full = history();
		expect(full.cpuHistory).toEqual(Array.from({length: sparkLength}, () => 50));
		const again = sentinel('i:1', 'alpha', {j1: {severity: 0}}, 0, at + sparkLength + 1);
		hosts.apply(joinRound(again.series, again.scrapes), (at + sparkLength + 1) * 1000);
		expect(history().cpuHistory).toBe(full.cpuHistory);
		expect(history().rssHistory).toBe(full.rssHistory);
		const busier = sentinel('i:1', 'alpha', {j1: {severity: 0}}, 0, at + sparkLength + 2);
		busier.series = busier.series.map(one => (one.metric['__name__'] === 'sentinel_job_cpu_ratio' ? {...one, value: [one.value[0], '0.75']} : one));
		hosts.apply(joinRound(busier.series, busier.scrapes), (at + sparkLength + 2) * 1000);
		expect(history().cpuHistory).toEqual([...Array.from({length: sparkLength - 1}, () => 50), 75]);
		expect(history().rssHistory).toBe(full.rssHistory);
	});

	it("keeps a job's view across a new scrape that changed none of its values nor its full histories", () => {
		const hosts = new FleetHosts();
		const made: MadeViews = new Map();
		const scrapeAt = (second: number, silenceS = 125) => {
			const round = sentinel('i:1', 'alpha', {j1: {severity: 0}}, 0, at + second);
			round.series = round.series.map(one => (one.metric['__name__'] === 'sentinel_job_silence_seconds' ? {...one, value: [one.value[0], String(silenceS)]} : one));
			hosts.apply(joinRound(round.series, round.scrapes), (at + second) * 1000);
			const {snapshot} = fleetSnapshot({hosts: hosts.byInstance.values(), prometheus: 'http://p', problem: null, refreshedMs: null, refreshes: 1, nowMs: (at + second) * 1000, paused: new Set(), focus: null, recentAudit: [], interventionsLastHour: 0, made});
			return snapshot.jobs[0]!;
		};
		for (let scrape = 0; scrape < sparkLength; scrape++) scrapeAt(scrape);
		const full = scrapeAt(sparkLength);
		// Its last activity stays as the scrape that first showed these values put it.
		expect(scrapeAt(sparkLength + 1)).toBe(full);
		const silent = scrapeAt(sparkLength + 2, 127);
		expect(silent).not.toBe(full);
		expect(silent).toMatchObject({lastActivityMs: (at + sparkLength + 2 - 127) * 1000, cpuHistory: full.cpuHistory, rssHistory: full.rssHistory});
		expect(silent.assessment!.silenceMs).toBe(127_000);
		// Its CPU and memory did not move: the sample is the one it had.
		expect(silent.sample).toBe(full.sample);
	});

	it('shows a job two sentinels of one host and jobs directory report once, from the live one', () => {
		const hosts = new FleetHosts();
		const dashboard = sentinel('i:1', 'alpha', {j1: {severity: 1}}, 1, at, 0);
		const headless = sentinel('i:2', 'alpha', {j1: {severity: 1}});
		hosts.apply(joinRound([...dashboard.series, ...headless.series], [...dashboard.scrapes, ...headless.scrapes]), at * 1000);
		// The dashboard goes: its last jobs are stale, the headless one's are not.
		hosts.apply(joinRound(headless.series, headless.scrapes), at * 1000 + 1000);
		const snapshot = snapshotOf(hosts);
		expect(snapshot.jobs.map(view => [view.job.dir, view.stale])).toEqual([['alpha:/srv/jobs/j1', false]]);
		expect(snapshot.fleet!.hosts.map(host => [host.instance, host.stale])).toEqual([['i:1', true], ['i:2', false]]);
	});

	it('says when no live sentinel leads a host whose jobs are in trouble', () => {
		const hosts = new FleetHosts();
		const a = sentinel('i:1', 'alpha', {j1: {severity: 2}}, 1, at, 0);
		const b = sentinel('i:2', 'bravo', {j1: {severity: 0}}, 1, at, 0);
		hosts.apply(joinRound([...a.series, ...b.series], [...a.scrapes, ...b.scrapes]), at * 1000);
		expect(snapshotOf(hosts).fleet!.hosts.map(host => host.problem)).toEqual(['no sentinel acts on its jobs (none holds the leader lock)', null]);
	});

	it('counts the actions begun on the hosts in the last hour, from the growth of their counters', () => {
		const seen = new InterventionsSeen();
		seen.saw('i:1', 5, 0);
		expect(seen.lastHour(0)).toBe(0);
		seen.saw('i:1', 7, 1000);
		seen.saw('i:2', 1, 1000);
		seen.saw('i:2', 1, 2000);
		// A sentinel that restarted counts from 0 again.
		seen.saw('i:1', 1, 3000);
		expect(seen.lastHour(3000)).toBe(3);
		expect(seen.lastHour(1000 + 3_600_000)).toBe(1);
	});
});
