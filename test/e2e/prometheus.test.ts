// End to end with a real Prometheus (Debian's binary, started by test/helpers/prometheus.ts on a
// free loopback port with a 1 s scrape interval and storage of its own): two headless sentinels on
// two jobs directories, scraped; a job that hangs shows its severity rise in Prometheus's query
// API, and the interventions counter moves. Prometheus loads the alerting rules of deploy/ as well.
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/processes.js';
import {startPrometheus, type Vector} from '../helpers/prometheus.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {startSleeper} from '../helpers/job-faults.js';

const rules = fileURLToPath(new URL('../../deploy/prometheus/sentinel-rules.yml', import.meta.url));

/** The one value of an instant query, or null when it has no result. */
function single(vector: Vector): number | null {
	return vector.length === 1 ? Number(vector[0]!.value[1]) : null;
}

describe('a real Prometheus scraping two sentinels', () => {
	it('sees a hung job climb the severities and the interventions counter move', {timeout: 90_000}, async () => {
		const hungDir = makeTempDir('sentinel-jobs-a-');
		const calmDir = makeTempDir('sentinel-jobs-b-');
		writeJob(calmDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		// Tiers 2 s apart (low at 4 s, medium 6 s, high 8 s: recover), each scraped a few times.
		const fast = ['--interval', '250ms', '--worker-timeout', '8s', '--critical-timeout', '60s', '--grace', '1s', '--metrics', '127.0.0.1:0'];
		const sentinels = [startSentinel(hungDir, fast), startSentinel(calmDir, fast)];
		const started = await Promise.all(sentinels.map(sentinel => sentinel.waitForLine(line => line.type === 'sentinel.started')));
		const targets = started.map(line => line['metrics'] as string);
		const prometheus = await startPrometheus(targets, {rules: [rules]});

		const up = async () => (await prometheus.query('up{job="sentinel-tui"} == 1')).length === 2;
		expect(await waitFor(up, 20_000, 250), `both targets up; prometheus said: ${prometheus.stderr()}`).toBe(true);
		const dirs = (await prometheus.query('sentinel_info')).map(sample => sample.metric['jobs_dir']).sort();
		expect(dirs).toEqual([hungDir, calmDir].sort());
		const recovers = 'sum(sentinel_interventions_total{action="recover",result="ok",actor="auto"})';
		expect(single(await prometheus.query(recovers))).toBe(0);

		// The hang begins now: a real sleeping process that writes nothing.
		const pid = await startSleeper();
		writeJob(hungDir, 'hung', {job_id: 'hung', status: 'RUNNING', pid});
		const recovered = async () => single(await prometheus.query(recovers)) === 1;
		expect(await waitFor(recovered, 40_000, 250), 'the recovery counted').toBe(true);
		// As Prometheus stored it, scrape by scrape: ok, then low, then medium, before the recovery.
		const stored = (await prometheus.samples('sentinel_job_severity{job_id="hung"}')).flatMap(series => series.values.map(([, value]) => Number(value)));
		const steps = stored.filter((value, index) => index === 0 || value !== stored[index - 1]);
		expect(steps.slice(0, 3), `severities stored: ${stored.join(', ')}`).toEqual([0, 1, 2]);
		// The recovered job is PENDING and ok again; the other sentinel's job never moved.
		const settled = async () => single(await prometheus.query('sentinel_job_info{job_id="hung",status="PENDING"}')) === 1;
		expect(await waitFor(settled, 10_000, 250)).toBe(true);
		expect(single(await prometheus.query('max_over_time(sentinel_job_severity{job_id="calm"}[2m])'))).toBe(0);
		expect(single(await prometheus.query('sum(sentinel_interventions_total{action="notify",result="ok"})'))).toBe(1);
		expect(single(await prometheus.query('sum(sentinel_leader)'))).toBe(2);

		// And Prometheus loaded the alerting rules of deploy/.
		const groups = ((await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {data: {groups: Array<{rules: unknown[]}>}}).data.groups;
		expect(groups.flatMap(group => group.rules)).toHaveLength(7);
		for (const sentinel of sentinels) expect(sentinel.stderr()).toBe('');
	});
});
