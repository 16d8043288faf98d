// SPEC section 9: the fleet view over 5 sentinels of 200 jobs each through one Prometheus: frame
// cost under 10 ms; each refresh's queries within 200 ms (p95) of a local Prometheus.
// Five real headless sentinels (--metrics on loopback), each on 200 live jobs (a `sleep` each),
// scraped every second by Debian's Prometheus on loopback, each named as a host of its own by
// Prometheus's relabelling; the fleet view as the binary wires it (startFleet, runDashboard) on a
// 120x40 stand-in terminal (lib/fleet-frame-child.js), every refresh timed by the fleet's own hook.
// 120 refreshes by default: the p95 of a few dozen frames is its second slowest, which one frame
// sharing a core with a sentinel's tick decides; two minutes hold the warm-up and the steady state.
//   node bench/fleet.js [--hosts 5] [--jobs 200] [--refreshes 120] [--interval 1000]
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {makeBenchDirs, writeThousandJobs} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {fmt, loadNote, ratio} from './lib/report.js';
import {queryOne, startMetricsSentinel, startPrometheus} from './lib/prometheus.js';
import {binNodeFlags, requireBuild, sentinelEnv} from './lib/sentinel.js';
import {max, median, percentile, waitUntil} from './lib/stats.js';

const frameBudgetMs = 10;
const queryBudgetMs = 200;

function fleetRun(prometheus, intervalMs, refreshes, home) {
	const out = path.join(home, 'fleet-frames.json');
	const child = fileURLToPath(new URL('lib/fleet-frame-child.js', import.meta.url));
	const env = sentinelEnv(home, {NODE_ENV: process.env.NODE_ENV ?? 'production'});
	try {
		execFileSync(process.execPath, [...binNodeFlags(), child, prometheus, String(intervalMs), String(refreshes), out], {env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000});
	} catch (error) {
		throw new Error(`the fleet view's run failed: ${error.message}\n${error.stderr ?? ''}`);
	}
	return JSON.parse(fs.readFileSync(out, 'utf8'));
}

export async function fleetBench(flags) {
	requireBuild();
	const hosts = numberFlag(flags, 'hosts');
	const jobs = numberFlag(flags, 'jobs');
	const refreshes = numberFlag(flags, 'refreshes');
	const intervalMs = numberFlag(flags, 'interval');
	const {base} = makeBenchDirs('fleet');
	const targets = [];
	for (let index = 1; index <= hosts; index++) {
		const jobsDir = path.join(base, `jobs-${index}`);
		fs.mkdirSync(jobsDir);
		await writeThousandJobs(jobsDir, jobs, {live: jobs});
		targets.push({address: (await startMetricsSentinel(jobsDir, path.join(base, `home-${index}`))).address, host: `host-${index}`});
	}
	const prometheus = await startPrometheus(targets, base);
	// Every sentinel scraped with all its jobs before the fleet view starts.
	const complete = async () => (await queryOne(prometheus, 'count(sentinel_info)')) === hosts && (await queryOne(prometheus, 'count(sentinel_job_severity)')) === hosts * jobs;
	if (!(await waitUntil(complete, 60_000, 500))) throw new Error(`Prometheus did not see ${hosts} sentinels with ${jobs} jobs each within 60 s`);

	const run = fleetRun(prometheus, intervalMs, refreshes, base);
	// The first refreshes meet hosts and jobs for the first time; the rest are the steady state.
	const steady = run.refreshes.slice(3);
	const failed = steady.filter(entry => entry.problem !== null);
	const frames = steady.map(entry => entry.frameMs).filter(value => value !== null);
	const queries = steady.map(entry => entry.queryMs);
	const shown = steady.at(-1);
	// Where a frame's time goes, with medians: the p95 of a few dozen frames is one of the slowest few, and hides a change the medians show.
	const own = steady.map(entry => entry.durationMs - entry.queryMs);
	const screen = steady.filter(entry => entry.frameMs !== null).map(entry => entry.frameMs - (entry.durationMs - entry.queryMs));
	const framesP95 = percentile(frames, 95);
	const queriesP95 = percentile(queries, 95);
	return {
		title: `Fleet view: ${hosts} sentinels of ${jobs} jobs each through one local Prometheus (120x40)`,
		rows: [
			{measure: `frame cost, queries answered -> frame written: p95 (NODE_ENV=${run.nodeEnv})`, ours: fmt.ms(framesP95), peer: `${frameBudgetMs} ms`, ratio: ratio(framesP95, frameBudgetMs), budget: `p95 < ${frameBudgetMs} ms`, pass: frames.length > 0 && framesP95 < frameBudgetMs},
			{measure: '  every refresh', ours: `p50 ${fmt.ms(median(frames))}, max ${fmt.ms(max(frames))} (${frames.length} frames of ${steady.length} refreshes)`, peer: '', ratio: '', budget: '', pass: null},
			{measure: "  of which the fleet's own work before the render (hosts, snapshot), p95", ours: `${fmt.ms(percentile(own, 95))} (p50 ${fmt.ms(median(own))})`, peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which the screen (React render, Ink write), p95', ours: `${fmt.ms(percentile(screen, 95))} (p50 ${fmt.ms(median(screen))})`, peer: '', ratio: '', budget: '', pass: null},
			{measure: "each refresh's queries (one round, sent together): p95", ours: fmt.ms(queriesP95), peer: `${queryBudgetMs} ms`, ratio: ratio(queriesP95, queryBudgetMs), budget: `p95 <= ${queryBudgetMs} ms`, pass: queries.length > 0 && queriesP95 <= queryBudgetMs},
			{measure: '  every refresh', ours: `p50 ${fmt.ms(median(queries))}, max ${fmt.ms(max(queries))}; whole refresh p95 ${fmt.ms(percentile(steady.map(entry => entry.durationMs), 95))}`, peer: '', ratio: '', budget: '', pass: null},
			{measure: 'hosts and jobs shown (the last refresh)', ours: `${shown?.hosts ?? 0} hosts, ${shown?.jobs ?? 0} jobs`, peer: `${hosts}, ${hosts * jobs}`, ratio: '', budget: 'all', pass: shown?.hosts === hosts && shown?.jobs === hosts * jobs && failed.length === 0},
		],
		notes: [
			`${hosts} headless sentinels, each on ${jobs} jobs naming a live sleep of its own, scraped every 1 s; the fleet view refreshes every ${intervalMs} ms for ${refreshes} refreshes, the first 3 left out`,
			"both figures from the fleet's own onRefresh hook: queryMs from sending the queries to every answer parsed; the frame from there to the end of the frame's write on the stand-in terminal (hosts updated, snapshot made, React's render, Ink's output)",
			`refreshes that failed: ${failed.length}`,
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(fleetBench, {hosts: {type: 'string', default: '5'}, jobs: {type: 'string', default: '200'}, refreshes: {type: 'string', default: '120'}, interval: {type: 'string', default: '1000'}});
}
