// Three hosts for the fleet view's screenshot: three real headless sentinels (--metrics on
// loopback, nothing automatic) on jobs of real sleeping processes whose silences spread across
// the severities, scraped every second by a real Prometheus that names them gpu-1, gpu-2 and
// build-3. Everything is started with the benchmarks' helpers and stopped by their cleanup.
import fs from 'node:fs';
import path from 'node:path';
import {cleanupAll} from '../../bench/lib/cleanup.js';
import {liveManifest, makeTempDir, startSleepers, writeManifest} from '../../bench/lib/jobs.js';
import {queryOne, startMetricsSentinel, startPrometheus} from '../../bench/lib/prometheus.js';
import {waitUntil} from '../../bench/lib/stats.js';

// Silent this long at the start, with a 60 s timeout: ok, low (>= 30 s), medium (>= 45 s), high (>= 60 s).
const hosts = {
	'gpu-1': [['train-llama-7b', 2], ['eval-suite', 34], ['data-prep-shard-04', 48]],
	'gpu-2': [['refactor-parser', 70, 'supervisor', 'REVIEWING'], ['lint-fix', 5], ['docs-build', 1]],
	'build-3': [['index-repository', 3], ['nightly-tests', 40]],
};
const sentinelFlags = ['--no-auto', '--interval', '1s', '--worker-timeout', '60s', '--supervisor-timeout', '60s', '--critical-timeout', '10m'];

/** Write a host's jobs, each naming a live `sleep`, its stamps and manifest `silentS` old. */
async function writeHostJobs(jobsDir, jobs) {
	const {pids} = await startSleepers(jobs.length, 600);
	for (const [index, [name, silentS, role = 'worker', status = 'RUNNING']] of jobs.entries()) {
		const stamp = new Date(Date.now() - silentS * 1000);
		const file = writeManifest(jobsDir, name, liveManifest(name, pids[index], {role, status, last_activity: stamp.toISOString(), created_at: stamp.toISOString(), history: []}));
		fs.utimesSync(file, stamp, stamp);
	}
}

/**
 * The three hosts behind one Prometheus. `oneStale(capture)` then stops build-3's sentinel and
 * resolves once the fleet view (read through `capture`) shows it stale; `stop()` ends everything.
 */
export async function startFleetHosts() {
	const base = makeTempDir('sentinel-screenshot-fleet-');
	const targets = [];
	const pids = {};
	for (const [host, jobs] of Object.entries(hosts)) {
		const jobsDir = path.join(base, host, 'jobs');
		fs.mkdirSync(jobsDir, {recursive: true});
		await writeHostJobs(jobsDir, jobs);
		const sentinel = await startMetricsSentinel(jobsDir, path.join(base, host, 'home'), sentinelFlags);
		targets.push({address: sentinel.address, host});
		pids[host] = sentinel.pid;
	}
	const prometheus = await startPrometheus(targets, base);
	const jobCount = Object.values(hosts).flat().length;
	if (!(await waitUntil(async () => (await queryOne(prometheus, 'count(sentinel_job_severity)')) === jobCount, 30_000, 250))) throw new Error('Prometheus did not see every job within 30 s');
	return {
		prometheus,
		async oneStale(capture) {
			await waitUntil(() => Object.keys(hosts).every(host => capture().includes(host)), 30_000, 250);
			process.kill(-pids['build-3'], 'SIGTERM');
			if (!(await waitUntil(() => /build-3 stale/.test(capture()), 30_000, 250))) throw new Error(`the fleet view never showed build-3 stale:\n${capture()}`);
		},
		stop: cleanupAll,
	};
}
