// SPEC section 9: start to first frame with 1,000 jobs within 500 ms; frame cost with 1,000 jobs
// under 10 ms. Start: the dashboard spawned in a tmux pane, timed until the pane shows job rows,
// beside `node -e` printing one line measured the same way. Frame cost: the real App from dist/
// drawn by Ink in-process (lib/frame-cost-child.js) with a 1,000-job snapshot from a real Engine.
//   node bench/first-frame.js [--jobs 1000] [--runs 5] [--frames 100] [--poll 5]
// Frames: 100 by default. Of 40, only some 20 were drawn (the others changed no visible row), so
// their p95 was the run's worst or second-worst frame, a collection or one of the first frames.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {nodeFlags} from '../rolldown.config.js';
import {killPid} from './lib/cleanup.js';
import {liveJobs, makeBenchDirs, writeThousandJobs} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {isAlive} from './lib/proc.js';
import {fmt, loadNote, ratio} from './lib/report.js';
import {requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {max, median, percentile, sleep, waitUntil} from './lib/stats.js';
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

function frameCost(jobsDir, home, frames, nodeEnv) {
	const out = path.join(home, `frames-${nodeEnv}.json`);
	// Colours as in a tmux pane (256): without a terminal of its own, chalk in the child would draw none.
	const env = sentinelEnv(home, {NODE_ENV: nodeEnv, FORCE_COLOR: '2'});
	const child = fileURLToPath(new URL('lib/frame-cost-child.js', import.meta.url));
	// Ink with the bundle's stand-ins for its internals, as the shipped program draws.
	const standIns = fileURLToPath(new URL('lib/ink-stand-ins.js', import.meta.url));
	// Its stderr is kept back: Ink shows the cursor there on exit, which is no business of our terminal.
	try {
		execFileSync(process.execPath, [...nodeFlags, '--import', standIns, child, jobsDir, home, String(frames), out], {env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000});
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
	const asRun = frameCost(jobsDir, base, frames, nodeEnv);
	const frameRow = (label, result) => ({
		measure: label,
		ours: `p50 ${fmt.ms(median(result.frameMs))}, p95 ${fmt.ms(percentile(result.frameMs, 95))}, max ${fmt.ms(max(result.frameMs))}`,
		peer: '10 ms',
		ratio: ratio(percentile(result.frameMs, 95), 10),
		budget: 'p95 < 10 ms',
		pass: percentile(result.frameMs, 95) < 10,
	});
	return {
		title: `First frame and frame cost with ${count} jobs (tmux 120x40)`,
		rows: [
			{measure: 'spawn -> first frame with job rows, median', ours: fmt.ms(median(ours)), peer: `${fmt.ms(median(node))} (node -e, one line)`, ratio: ratio(median(ours), median(node)), budget: '<= 500 ms', pass: median(ours) <= 500},
			{measure: 'spawn -> first frame with job rows, worst', ours: fmt.ms(max(ours)), peer: `${fmt.ms(max(node))} (node -e, one line)`, ratio: ratio(max(ours), max(node)), budget: '', pass: null},
			{measure: `spawn -> all ${count} jobs read and shown (header), median`, ours: fmt.ms(median(oursWhole)), peer: `${fmt.ms(median(node))} (node -e, one line)`, ratio: ratio(median(oursWhole), median(node)), budget: '', pass: null},
			{measure: 'spawn -> anything on screen, median', ours: fmt.ms(median(oursAny)), peer: `${fmt.ms(median(node))} (node -e, one line)`, ratio: ratio(median(oursAny), median(node)), budget: '', pass: null},
			frameRow(`frame cost, snapshot -> frame written (NODE_ENV=${nodeEnv}, as the binary runs)`, asRun),
			{measure: "  of which Ink's own output pass (onRender renderTime), p95", ours: fmt.ms(percentile(asRun.inkRenderMs, 95)), peer: '', ratio: '', budget: '', pass: null},
			{measure: '  first mount to first write', ours: fmt.ms(asRun.mountMs), peer: '', ratio: '', budget: '', pass: null},
		],
		notes: [
			`the first look at the jobs directory draws its first 60 jobs before reading the rest (engine.ts, earlyJobs): "first frame with job rows" is that frame, "all read and shown" the one whose header counts all ${count}`,
			`${count} manifests, ${liveJobs} naming live processes; ${runs} runs each, alternating; the pane is captured every ${pollMs} ms (a capture takes several ms), so both figures include that resolution`,
			`frame cost: ${frames} frames, each after a manifest change and an engine tick, published past Ink's frame throttle; timed from the snapshot's publication to Ink's write to a 120x40 stand-in terminal (${asRun.late} frames were not drawn synchronously); ${asRun.jobs} jobs in the snapshot`,
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(firstFrameBench, {jobs: {type: 'string', default: '1000'}, runs: {type: 'string', default: '5'}, frames: {type: 'string', default: '100'}, poll: {type: 'string', default: '5'}});
}
