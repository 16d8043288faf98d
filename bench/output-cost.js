// SPEC section 9: following output (section 11) for 500 live jobs, each appending a line a second
// to logs/output.log, costs at most 1.25x the CPU of the same run with --no-loop-detection, and
// no more than htop's. Both sentinels run --headless --no-auto on the same jobs over the same
// minute, with htop (-d 20: every 2 s, as ours) in a tmux pane beside them. One writer process
// appends every job's line, spread over each second; its own CPU is not counted. Then a job that
// writes 10 MB/s, alone under a sentinel of its own: its CPU with the flood against before it
// (each tick reads at most 64 KiB of a file; the unit tests hold that bound).
//   node bench/output-cost.js [--jobs 500] [--seconds 60] [--windows 3] [--warmup 10]
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {killGroup, killPid, onCleanup} from './lib/cleanup.js';
import {jobName, liveManifest, makeBenchDirs, startSleepers, writeManifest} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {cpuOver, perMinute} from './lib/proc.js';
import {loadNote, ratio} from './lib/report.js';
import {requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {max, min, sleep, spreadVerdict} from './lib/stats.js';
import {Tmux} from './lib/tmux.js';

const tickSeconds = 2;

/** A line a second per file, new each time (a step counter, a timestamp, a duration, an attempt counter). */
function startWriter(files, ratePerSecond = 1) {
	const script = `
const fs = require('fs');
const files = ${JSON.stringify(files)};
let step = 0, index = 0;
const every = 1000 / (files.length * ${ratePerSecond});
let next = Date.now();
function write() {
	const now = Date.now();
	while (next <= now) {
		fs.appendFileSync(files[index], new Date().toISOString() + ' worker ' + index + ': step ' + step + ' processed ' + (step * 7) + ' items in ' + Math.round(Math.random() * 900) + 'ms (attempt 1/3)\\n');
		index = (index + 1) % files.length;
		if (index === 0) step++;
		next += every;
	}
	setTimeout(write, Math.max(0, next - Date.now()));
}
write();`;
	const writer = spawn(process.execPath, ['-e', script], {detached: true, stdio: 'ignore'});
	onCleanup(`kill writer ${writer.pid}`, () => killGroup(writer.pid));
	return writer;
}

/** 10 MB a second into one file, in 64 KiB writes of lines. */
function startFlood(file) {
	const script = `
const fs = require('fs');
const line = 'x'.repeat(99) + '\\n';
const chunk = line.repeat(655);
const fd = fs.openSync(${JSON.stringify(file)}, 'a');
setInterval(() => { for (let i = 0; i < 16; i++) fs.writeSync(fd, chunk); }, 100);
setInterval(() => fs.ftruncateSync(fd, 0), 10_000);`;
	const flood = spawn(process.execPath, ['-e', script], {detached: true, stdio: 'ignore'});
	onCleanup(`kill flood ${flood.pid}`, () => killGroup(flood.pid));
	return flood;
}

function row(measure, ours, theirs, budget, limit) {
	const windows = ours.windows.map((window, index) => perMinute(window) / perMinute(theirs.windows[index]));
	return {
		measure,
		ours: `${perMinute(ours).toFixed(2)} s/min`,
		peer: `${perMinute(theirs).toFixed(2)} s/min`,
		ratio: `${ratio(perMinute(ours), perMinute(theirs))} (windows ${min(windows).toFixed(2)}-${max(windows).toFixed(2)}x)`,
		budget,
		pass: spreadVerdict(windows, value => value <= limit),
	};
}

export async function outputCostBench(flags) {
	requireBuild();
	const count = numberFlag(flags, 'jobs');
	const timing = {seconds: numberFlag(flags, 'seconds'), warmup: numberFlag(flags, 'warmup'), windows: Math.round(numberFlag(flags, 'windows'))};
	const {base, jobsDir} = makeBenchDirs('output');
	const {pids} = await startSleepers(count, 3 * (timing.seconds + timing.warmup) + 300);
	const files = pids.map((pid, index) => {
		const name = jobName(index);
		writeManifest(jobsDir, name, liveManifest(name, pid));
		fs.mkdirSync(path.join(jobsDir, name, 'logs'));
		const file = path.join(jobsDir, name, 'logs', 'output.log');
		fs.writeFileSync(file, '');
		return file;
	});
	startWriter(files);
	const env = sentinelEnv(base);
	const headless = args => {
		const argv = sentinelArgv(['--headless', '--no-auto', jobsDir, ...args]);
		const child = spawn(argv[0], argv.slice(1), {env, stdio: 'ignore'});
		onCleanup(`kill headless ${child.pid}`, () => killPid(child.pid));
		return child.pid;
	};
	const following = headless([]);
	const every = headless(['--no-loop-detection']);
	let htop = null;
	let tmux = null;
	try {
		execFileSync('htop', ['--version'], {stdio: 'ignore'});
		tmux = new Tmux('output', env);
		htop = tmux.start('htop', ['htop', '-d', '20']);
	} catch {
		process.stderr.write('output-cost: htop is missing (apt-get install -y htop); its row says so\n');
	}
	const measured = await cpuOver(htop ? [following, every, htop] : [following, every], timing.warmup, timing.seconds, timing.windows);
	if (tmux) tmux.killSession('htop');

	// A flood, alone in a jobs directory of its own under a third sentinel: its CPU over the same
	// span without the flood, then with it (each tick reads at most 64 KiB of it, and judges those lines).
	const spanSeconds = Math.max(10, Math.round(timing.seconds / 3));
	const floodJobs = path.join(base, 'flood-jobs');
	writeManifest(floodJobs, 'flood', liveManifest('flood', pids[0]));
	fs.mkdirSync(path.join(floodJobs, 'flood', 'logs'));
	const floodFile = path.join(floodJobs, 'flood', 'logs', 'output.log');
	fs.writeFileSync(floodFile, '');
	const argv = sentinelArgv(['--headless', '--no-auto', floodJobs]);
	const alone = spawn(argv[0], argv.slice(1), {env, stdio: 'ignore'});
	onCleanup(`kill headless ${alone.pid}`, () => killPid(alone.pid));
	const [withoutFlood] = await cpuOver([alone.pid], timing.warmup, spanSeconds, 1);
	startFlood(floodFile);
	const [withFlood] = await cpuOver([alone.pid], 2 * tickSeconds, spanSeconds, 1);

	const rows = [row(`following output vs --no-loop-detection (${count} jobs, a line a second each)`, measured[0], measured[1], '<= 1.25x', 1.25)];
	if (htop) rows.push(row('following output vs htop -d 20 (equal cadence)', measured[0], measured[2], "<= htop's", 1));
	else rows.push({measure: 'following output vs htop -d 20', ours: `${perMinute(measured[0]).toFixed(2)} s/min`, peer: 'htop missing: apt-get install -y htop', ratio: '', budget: "<= htop's", pass: null});
	rows.push({
		measure: 'one job writing 10 MB/s, alone: with the flood vs before it',
		ours: `${perMinute(withFlood).toFixed(2)} s/min`,
		peer: `${perMinute(withoutFlood).toFixed(2)} s/min`,
		ratio: ratio(perMinute(withFlood), perMinute(withoutFlood)),
		budget: 'a bounded read a tick (64 KiB)',
		pass: null,
	});
	return {
		title: `Following output: ${count} live jobs each appending a line a second, CPU time over ${timing.seconds} s`,
		rows,
		notes: [
			`${count} jobs, each a real \`sleep\` named by process_id/process_start; one writer appends a new line to each logs/output.log every second, spread over the second`,
			`both sentinels --headless --no-auto on the same jobs over the same minute; htop -d 20 in a tmux pane of 120x40 beside them; CPU time = utime + stime, after ${timing.warmup} s of warm-up, judged over ${timing.windows} windows`,
			`the flood: 10 MB/s of 100-byte lines into logs/output.log of the one job of another jobs directory (truncated every 10 s), under a third sentinel: its CPU over ${spanSeconds} s before the flood and ${spanSeconds} s with it`,
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(outputCostBench, {jobs: {type: 'string', default: '500'}, seconds: {type: 'string', default: '60'}, windows: {type: 'string', default: '3'}, warmup: {type: 'string', default: '10'}});
}
