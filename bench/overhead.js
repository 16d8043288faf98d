// SPEC section 9: watching 500 live jobs at the default interval costs no more CPU time per minute
// than htop over the same processes and minute. The dashboard and `htop -d 15` (htop's default
// 1.5 s refresh) run side by side in two tmux panes of the same size; then `--headless` alone,
// again beside htop. CPU time is utime + stime of the program itself (children excluded).
// Needs htop (apt-get install -y htop) and tmux.
//   node bench/overhead.js [--jobs 500] [--seconds 60] [--warmup 5]
import {execFileSync, spawn} from 'node:child_process';
import {killPid, onCleanup} from './lib/cleanup.js';
import {jobName, liveManifest, makeBenchDirs, startSleepers, writeManifest} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {cpuSeconds, isAlive} from './lib/proc.js';
import {loadNote, ratio} from './lib/report.js';
import {requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {sleep, waitUntil} from './lib/stats.js';
import {Tmux} from './lib/tmux.js';

export function requireHtop() {
	try {
		execFileSync('htop', ['--version'], {stdio: 'ignore'});
	} catch {
		throw new Error('htop is missing: apt-get update && apt-get install -y htop');
	}
}

/** CPU seconds each of `pids` spends over `seconds`, after `warmup` seconds; throws if one dies. */
async function cpuOver(pids, warmup, seconds) {
	await sleep(warmup * 1000);
	const before = pids.map(pid => cpuSeconds(pid));
	const started = Date.now();
	await sleep(seconds * 1000);
	const after = pids.map(pid => cpuSeconds(pid));
	const wall = (Date.now() - started) / 1000;
	return pids.map((pid, index) => {
		if (before[index] === null || after[index] === null || !isAlive(pid)) throw new Error(`pid ${pid} died during the measurement`);
		return {cpu: after[index] - before[index], wall};
	});
}

function perMinute({cpu, wall}) {
	return (cpu / wall) * 60;
}

function figure(result) {
	return `${perMinute(result).toFixed(2)} s/min (${((result.cpu / result.wall) * 100).toFixed(1)} % of a core)`;
}

export async function overheadBench(flags) {
	requireBuild();
	requireHtop();
	const count = numberFlag(flags, 'jobs');
	const seconds = numberFlag(flags, 'seconds');
	const warmup = numberFlag(flags, 'warmup');
	const {base, jobsDir} = makeBenchDirs('overhead');
	const {pids} = await startSleepers(count, 2 * (seconds + warmup) + 300);
	pids.forEach((pid, index) => writeManifest(jobsDir, jobName(index), liveManifest(jobName(index), pid)));
	const env = sentinelEnv(base);
	const tmux = new Tmux('overhead', env);

	// The dashboard and htop over the same minute.
	const dashboard = tmux.start('dashboard', sentinelArgv([jobsDir]));
	const htop = tmux.start('htop', ['htop', '-d', '15']);
	const showsJobs = await waitUntil(async () => /bench-\d{4}/.test(await tmux.capture('dashboard')), 30_000, 100);
	if (!showsJobs) throw new Error(`the dashboard shows no job rows after 30 s:\n${tmux.captureSync('dashboard')}`);
	const [dashboardCpu, htopCpu] = await cpuOver([dashboard, htop], warmup, seconds);
	const screen = tmux.captureSync('dashboard');
	tmux.killSession('dashboard');
	tmux.killSession('htop');

	// --headless alone (no screen), beside a fresh htop over the next minute.
	const argv = sentinelArgv(['--headless', jobsDir]);
	const headless = spawn(argv[0], argv.slice(1), {env, stdio: 'ignore'});
	onCleanup(`kill headless ${headless.pid}`, () => killPid(headless.pid));
	const htop2 = tmux.start('htop2', ['htop', '-d', '15']);
	const [headlessCpu, htop2Cpu] = await cpuOver([headless.pid, htop2], warmup, seconds);
	headless.kill('SIGTERM');
	tmux.killSession('htop2');

	const rowsOnScreen = screen.split('\n').filter(line => /bench-\d{4}/.test(line)).length;
	return {
		title: `Overhead: ${count} live jobs, default interval (2 s), CPU time over ${seconds} s`,
		rows: [
			{measure: 'dashboard (tmux pane 120x40) vs htop -d 15, same minute', ours: figure(dashboardCpu), peer: figure(htopCpu), ratio: ratio(perMinute(dashboardCpu), perMinute(htopCpu)), budget: "<= htop's", pass: perMinute(dashboardCpu) <= perMinute(htopCpu)},
			{measure: '--headless vs htop -d 15, next minute', ours: figure(headlessCpu), peer: figure(htop2Cpu), ratio: ratio(perMinute(headlessCpu), perMinute(htop2Cpu)), budget: "<= htop's", pass: perMinute(headlessCpu) <= perMinute(htop2Cpu)},
		],
		notes: [
			`${count} jobs, each a real \`sleep\` named by process_id/process_start in its manifest; the dashboard showed ${rowsOnScreen} job rows`,
			`CPU time = utime + stime from /proc/<pid>/stat, children excluded, measured after ${warmup} s of warm-up; both tmux panes 120x40`,
			...(seconds < 60 ? [`a shortened window (--seconds ${seconds}); the spec's figure is per minute: run with --seconds 60`] : []),
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(overheadBench, {jobs: {type: 'string', default: '500'}, seconds: {type: 'string', default: '60'}, warmup: {type: 'string', default: '5'}});
}
