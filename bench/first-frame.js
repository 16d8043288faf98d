// SPEC section 9: start to first frame with 1,000 jobs within 500 ms; frame cost with 1,000 jobs
// under 10 ms. Start: the dashboard spawned in a tmux pane, timed until the pane shows job rows,
// beside `node -e` printing one line measured the same way; both the first frame with job rows
// (the engine draws its first 60 jobs before reading the rest) and the one with all of them.
// Frame cost: the dashboard in a process of its own (lib/frame-cost-child.js), the real Engine
// drawn by the real runDashboard, every publish timed; run --frame-runs times, since one run's
// p95 moves by more than the budget's margin (5.5-11 ms across runs of the same build).
// A budget whose runs fall on both sides of it reads "within noise", not pass.
//   node bench/first-frame.js [--jobs 1000] [--runs 5] [--frames 100] [--frame-runs 3] [--poll 5]
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {killPid} from './lib/cleanup.js';
import {liveJobs, makeBenchDirs, writeThousandJobs} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {isAlive} from './lib/proc.js';
import {fmt, loadNote, ratio, spreadText} from './lib/report.js';
import {binNodeFlags, requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {max, median, percentile, sleep, spreadVerdict, waitUntil} from './lib/stats.js';
import {Tmux} from './lib/tmux.js';

/**
 * Spawn `argv` in a fresh session and poll the pane until `shown(text)`, and then until
 * `whole(text)` (the screen done filling in); ms from the spawn for each, or null.
 */
async function timeToScreen(tmux, session, argv, shown, pollMs, whole = shown) {
	const started = performance.now();
	const pid = tmux.start(session, argv);
	let firstText = null;
	let done = null;
	let complete = null;
	let text = '';
	while (performance.now() - started < 10_000) {
		text = await tmux.capture(session);
		const at = performance.now() - started;
		if (firstText === null && text.trim() !== '') firstText = at;
		if (done === null && shown(text)) done = at;
		if (done !== null && whole(text)) {
			complete = at;
			break;
		}
		await sleep(pollMs);
	}
	tmux.killSession(session);
	if (!(await waitUntil(() => !isAlive(pid), 3000, 10))) killPid(pid);
	return {firstText, done, complete, text};
}

function frameCost(jobsDir, home, frames, nodeEnv, run) {
	const out = path.join(home, `frames-${run}.json`);
	// Colours as in a tmux pane (256): without a terminal of its own, chalk in the child would draw none.
	const env = sentinelEnv(home, {NODE_ENV: nodeEnv, FORCE_COLOR: '2'});
	// It draws with Ink as installed, patches/ applied: the modules the bundle holds.
	const child = fileURLToPath(new URL('lib/frame-cost-child.js', import.meta.url));
	// Its stderr is kept back: Ink shows the cursor there on exit, which is no business of our terminal.
	try {
		execFileSync(process.execPath, [...binNodeFlags(), child, jobsDir, home, String(frames), out], {env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000});
	} catch (error) {
		throw new Error(`the frame-cost run failed: ${error.message}\n${error.stderr ?? ''}`);
	}
	return JSON.parse(fs.readFileSync(out, 'utf8'));
}

export async function firstFrameBench(flags) {
	requireBuild();
	const count = numberFlag(flags, 'jobs');
	const runs = numberFlag(flags, 'runs');
	const frames = numberFlag(flags, 'frames');
	const pollMs = numberFlag(flags, 'poll');
	const {base, jobsDir} = makeBenchDirs('first');
	await writeThousandJobs(jobsDir, count);
	const tmux = new Tmux('first', sentinelEnv(base));

	const ours = [];
	const oursAny = [];
	const oursWhole = [];
	const node = [];
	for (let run = 0; run < runs; run++) {
		// Whole: the header counts every job, and no longer says the sentinel is starting.
		const whole = text => new RegExp(`\\b${count} jobs:`).test(text) && !/ starting /.test(text);
		const dashboard = await timeToScreen(tmux, `dash${run}`, sentinelArgv([jobsDir]), text => /bench-\d{4}/.test(text), pollMs, whole);
		if (dashboard.done === null || dashboard.complete === null) throw new Error(`the dashboard showed no job row, or not all ${count} jobs, within 10 s:\n${dashboard.text}`);
		ours.push(dashboard.done);
		oursWhole.push(dashboard.complete);
		oursAny.push(dashboard.firstText);
		// It stays up after printing: tmux can lose the last output of a pane whose program has already exited.
		const bare = await timeToScreen(tmux, `node${run}`, [process.execPath, '-e', "console.log('node-ready'); setInterval(() => {}, 1000)"], text => text.includes('node-ready'), pollMs);
		if (bare.done === null) throw new Error(`node -e printed nothing within 10 s:\n${bare.text}`);
		node.push(bare.done);
	}

	// As the binary runs: cli.tsx sets NODE_ENV to production unless it is set already.
	const nodeEnv = process.env.NODE_ENV ?? 'production';
	const frameRuns = Array.from({length: numberFlag(flags, 'frame-runs')}, (_, run) => frameCost(jobsDir, base, frames, nodeEnv, run).publishes);
	const all = frameRuns.flat();
	const p95s = frameRuns.map(run => percentile(run.map(entry => entry.costMs), 95));
	const costs = entries => entries.map(entry => entry.costMs);
	const drawn = all.filter(entry => entry.drawn);
	const unchanged = all.filter(entry => !entry.drawn);
	const withinBudget = value => value <= 500;
	const spawnRow = (measure, values, budgeted) => ({measure, ours: spreadText(values, fmt.ms), peer: `${fmt.ms(median(node))} (node -e, one line)`, ratio: ratio(median(values), median(node)), budget: budgeted ? '<= 500 ms' : '', pass: budgeted ? spreadVerdict(values, withinBudget) : null});
	return {
		title: `First frame and frame cost with ${count} jobs (tmux 120x40)`,
		rows: [
			spawnRow('spawn -> first frame with job rows (the first 60 jobs)', ours, true),
			spawnRow(`spawn -> first frame with all ${count} jobs (the header counts them)`, oursWhole, true),
			spawnRow('spawn -> anything on screen', oursAny, false),
			{measure: `frame cost, publish -> frame written: p95 of each run (NODE_ENV=${nodeEnv})`, ours: spreadText(p95s, fmt.ms), peer: '10 ms', ratio: ratio(median(p95s), 10), budget: 'p95 < 10 ms', pass: spreadVerdict(p95s, value => value < 10)},
			{measure: '  every publish of all runs', ours: `p50 ${fmt.ms(median(costs(all)))}, p95 ${fmt.ms(percentile(costs(all), 95))}, max ${fmt.ms(max(costs(all)))} (${all.length})`, peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which drawn (a frame written)', ours: `${drawn.length}: p50 ${fmt.ms(median(costs(drawn)))}, p95 ${fmt.ms(percentile(costs(drawn), 95))}, max ${fmt.ms(max(costs(drawn)))}`, peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which changed nothing on screen (rendered, no write)', ours: `${unchanged.length}${unchanged.length ? `: p50 ${fmt.ms(median(costs(unchanged)))}, p95 ${fmt.ms(percentile(costs(unchanged), 95))}` : ''}`, peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which making the snapshot, p95', ours: fmt.ms(percentile(all.map(entry => entry.snapshotMs), 95)), peer: '', ratio: '', budget: '', pass: null},
		],
		notes: [
			`the first look at the jobs directory draws its first 60 jobs before reading the rest (engine.ts, earlyJobs); the frame with all ${count} is the first whose header counts them all and no longer says the sentinel is starting`,
			`${count} manifests, ${liveJobs} naming live processes; ${runs} runs each, alternating; the pane is captured every ${pollMs} ms (a capture takes several ms), so both figures include that resolution`,
			`frame cost: ${frameRuns.length} runs of the dashboard as the binary wires it (startEngine, runDashboard) on a 120x40 stand-in terminal, node with the bin's flags; each run ${frames} manifest changes 120 ms apart (a status flips, so the header's counts change) and a tick every third; every publish timed from its start (where the snapshot is made while the dashboard listens) to the end of the frame's write (synchronized-update end), or, when nothing on screen changed, to the end of the render that found so (React renders in a microtask after publish() returns)`,
			'a budget judged over several runs reads "within noise" when some runs meet it and some do not',
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(firstFrameBench, {jobs: {type: 'string', default: '1000'}, runs: {type: 'string', default: '5'}, frames: {type: 'string', default: '100'}, 'frame-runs': {type: 'string', default: '3'}, poll: {type: 'string', default: '5'}});
}
