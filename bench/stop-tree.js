// SPEC section 9: stopping a 200-process tree that ignores SIGTERM is done within grace + 200 ms.
// Ours: stopTree from dist/ (SIGTERM all, grace, rescan, SIGKILL the rest). Peer: the tree-kill
// package alone with SIGKILL (no grace at all) on an identical tree, from the call to all dead.
//   node bench/stop-tree.js [--size 200] [--grace 1000] [--runs 3]
import {createRequire} from 'node:module';
import {performance} from 'node:perf_hooks';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {fmt, loadNote, ratio} from './lib/report.js';
import {dist, requireBuild} from './lib/sentinel.js';
import {max, median, sleep} from './lib/stats.js';
import {startStubbornTree, survivors} from './lib/tree.js';

const treeKill = createRequire(import.meta.url)('tree-kill');

/** Poll until none of `pids` lives (or `waitMs` more pass); resolves with ms since `started` and who is left. */
async function untilDead(pids, started, waitMs) {
	const giveUp = performance.now() + waitMs;
	for (;;) {
		const left = survivors(pids);
		const at = performance.now();
		if (left.length === 0 || at > giveUp) return {ms: at - started, left};
		await sleep(5);
	}
}

async function ours(stopTree, size, graceMs) {
	const tree = await startStubbornTree(size);
	// The default signal function, timed: when the SIGTERMs end and the SIGKILLs begin and end.
	const marks = {};
	const kill = (pid, signal) => {
		const at = performance.now();
		marks[signal] ??= {first: at, last: at};
		marks[signal].last = at;
		process.kill(pid, signal);
	};
	const started = performance.now();
	const report = await stopTree(tree.root, {graceMs, guard: () => null, kill});
	const done = await untilDead(tree.members, started, 5000);
	return {
		ms: done.ms,
		survivors: done.left.length,
		killed: report.killed.length,
		reported: report.durationMs,
		termPass: (marks.SIGTERM?.last ?? started) - started,
		rescan: (marks.SIGKILL?.first ?? Number.NaN) - (marks.SIGTERM?.last ?? started) - graceMs,
		killPass: (marks.SIGKILL?.last ?? Number.NaN) - (marks.SIGKILL?.first ?? Number.NaN),
		reap: started + done.ms - (marks.SIGKILL?.last ?? Number.NaN),
	};
}

async function peer(size, graceMs) {
	const tree = await startStubbornTree(size);
	const started = performance.now();
	const error = await new Promise(resolve => treeKill(tree.root, 'SIGKILL', resolve));
	const done = await untilDead(tree.members, started, 5000);
	return {ms: done.ms, survivors: done.left.length, error};
}

/** "median (worst)" of one phase over the runs. */
function phase(results, key) {
	const values = results.map(result => result[key]);
	return `${fmt.ms(median(values))} (worst ${fmt.ms(max(values))})`;
}

export async function stopTreeBench(flags) {
	requireBuild();
	const size = numberFlag(flags, 'size');
	const graceMs = numberFlag(flags, 'grace');
	const runs = numberFlag(flags, 'runs');
	const {stopTree} = await import(`${dist}/sentinel/act/stop-tree.js`);
	const mine = [];
	const theirs = [];
	for (let run = 0; run < runs; run++) {
		mine.push(await ours(stopTree, size, graceMs));
		theirs.push(await peer(size, graceMs));
	}
	const budget = graceMs + 200;
	const worst = max(mine.map(result => result.ms));
	const peerMedian = median(theirs.map(result => result.ms));
	const oursSurvivors = Math.max(...mine.map(result => result.survivors));
	const peerSurvivors = Math.max(...theirs.map(result => result.survivors));
	return {
		title: `Stop a ${size}-process tree that ignores SIGTERM (grace ${graceMs} ms, ${runs} runs)`,
		rows: [
			{measure: 'time to all dead, worst run', ours: fmt.ms(worst), peer: `${fmt.ms(max(theirs.map(result => result.ms)))} (tree-kill SIGKILL)`, ratio: ratio(worst, max(theirs.map(result => result.ms))), budget: `<= grace + 200 = ${budget} ms`, pass: worst <= budget},
			{measure: 'time to all dead, median', ours: fmt.ms(median(mine.map(result => result.ms))), peer: `${fmt.ms(peerMedian)} (tree-kill SIGKILL)`, ratio: ratio(median(mine.map(result => result.ms)), peerMedian), budget: '', pass: null},
			{measure: 'beyond the grace, median', ours: fmt.ms(median(mine.map(result => result.ms - graceMs))), peer: `${fmt.ms(peerMedian)} (tree-kill, all of it)`, ratio: ratio(median(mine.map(result => result.ms - graceMs)), peerMedian), budget: '<= 200 ms', pass: null},
			{measure: '  of which: snapshot + SIGTERM pass', ours: phase(mine, 'termPass'), peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which: grace overrun + rescan', ours: phase(mine, 'rescan'), peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which: SIGKILL pass', ours: phase(mine, 'killPass'), peer: '', ratio: '', budget: '', pass: null},
			{measure: '  of which: last SIGKILL to all dead', ours: phase(mine, 'reap'), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'stopTree durationMs (its own report), worst', ours: fmt.ms(max(mine.map(result => result.reported))), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'survivors, worst run', ours: String(oursSurvivors), peer: `${peerSurvivors} (tree-kill)`, ratio: '', budget: '0', pass: oursSurvivors === 0},
			{measure: 'needed SIGKILL (as stopTree reported)', ours: mine.map(result => result.killed).join(', '), peer: '', ratio: '', budget: `${size} each run`, pass: null},
		],
		notes: [
			`tree: a root shell with SIGTERM ignored, 10 shells under it, sleeps under those (${size} processes, all inheriting SIG_IGN)`,
			'ours = stopTree() from dist/sentinel/act/stop-tree.js, guard letting every pid through; time from the call until no member is alive (zombies count as dead)',
			"peer = tree-kill(root, 'SIGKILL'), which lists the tree with one `ps --ppid` per process before signalling; no grace",
			loadNote(),
			...(theirs.some(result => result.error) ? [`tree-kill reported: ${theirs.find(result => result.error).error.message}`] : []),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(stopTreeBench, {size: {type: 'string', default: '200'}, grace: {type: 'string', default: '1000'}, runs: {type: 'string', default: '3'}});
}
