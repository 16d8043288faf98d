// End to end with a real Prometheus (Debian's binary, started here on a free loopback port with
// a 1 s scrape interval and storage of its own): two headless sentinels on two jobs directories,
// scraped; a job that hangs shows its severity rise in Prometheus's query API, and the
// interventions counter moves. Prometheus loads the alerting rules of deploy/ as well.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {freePort} from '../helpers/metrics.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {startSleeper} from '../helpers/job-faults.js';

const rules = fileURLToPath(new URL('../../deploy/prometheus/sentinel-rules.yml', import.meta.url));

type Vector = Array<{metric: Record<string, string>; value: [number, string]}>;
type Matrix = Array<{metric: Record<string, string>; values: Array<[number, string]>}>;

/** Prometheus on a free loopback port scraping `targets` every second; killed when the test ends. */
async function startPrometheus(targets: string[]): Promise<{query: (expression: string) => Promise<Vector>; samples: (selector: string) => Promise<Matrix>; url: string; stderr: () => string}> {
	const base = makeTempDir('sentinel-prometheus-');
	const config = path.join(base, 'prometheus.yml');
	fs.writeFileSync(
		config,
		JSON.stringify({
			global: {scrape_interval: '1s', evaluation_interval: '1s'},
			rule_files: [rules],
			scrape_configs: [{job_name: 'sentinel-tui', static_configs: [{targets}]}],
		}),
	);
	const url = `http://127.0.0.1:${await freePort()}`;
	const args = [`--config.file=${config}`, `--storage.tsdb.path=${path.join(base, 'data')}`, `--web.listen-address=${url.slice('http://'.length)}`, '--log.level=warn'];
	const child = startProcess('prometheus', args, {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	const ready = async () => {
		try {
			return (await fetch(`${url}/-/ready`)).status === 200;
		} catch {
			return false;
		}
	};
	if (!(await waitFor(ready, 20_000, 100))) throw new Error(`prometheus did not become ready: ${stderr.slice(-2000)}`);
	const get = async <T>(expression: string): Promise<T> => {
		const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
		const body = (await response.json()) as {status: string; data: {result: T}; error?: string};
		if (body.status !== 'success') throw new Error(`query ${expression}: ${body.error}`);
		return body.data.result;
	};
	// A range selector alone returns every sample scraped in the range, as stored.
	return {query: expression => get<Vector>(expression), samples: selector => get<Matrix>(`${selector}[10m]`), url, stderr: () => stderr};
}

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
		const prometheus = await startPrometheus(targets);

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
