// SPEC section 9: the intervention starts within one interval of its threshold. Jobs whose silence
// crosses the thresholds at known moments (stamps and mtimes set to the millisecond), watched by
// `--headless` with a short interval; from each crossing to the `intervention` entry's ts (and to
// the JSON line's arrival here). Medium (0.75 T) runs notify; high (T) runs recover.
//   node bench/hang-to-action.js [--jobs 16] [--interval 1000] [--timeout 8000]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import {killPid, onCleanup} from './lib/cleanup.js';
import {jobName, liveManifest, makeBenchDirs, startSleepers, writeManifest} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {fmt, loadNote} from './lib/report.js';
import {requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {max, median, percentile, sleep} from './lib/stats.js';

/** The sentinel needs this long to start and take its first tick before any threshold is crossed. */
const leadMs = 3000;

function summary(values) {
	return `p50 ${fmt.ms(median(values))}, p95 ${fmt.ms(percentile(values, 95))}, max ${fmt.ms(max(values))}`;
}

export async function hangToActionBench(flags) {
	requireBuild();
	const count = numberFlag(flags, 'jobs');
	const intervalMs = numberFlag(flags, 'interval');
	const timeoutMs = numberFlag(flags, 'timeout');
	const {base, jobsDir} = makeBenchDirs('hang');
	const {pids} = await startSleepers(count, 120);

	// Crossings spread evenly over three intervals, so they fall at every phase of the tick.
	const t0 = Date.now();
	const jobs = pids.map((pid, index) => {
		const name = jobName(index);
		const mediumAt = t0 + leadMs + Math.round((index * 3 * intervalMs) / count);
		const activityAt = mediumAt - 0.75 * timeoutMs;
		const stamp = new Date(activityAt).toISOString();
		const file = writeManifest(jobsDir, name, liveManifest(name, pid, {created_at: stamp, last_activity: stamp, history: [{event: 'JOB_STARTED', timestamp: stamp}]}));
		// The manifest's own mtime is activity too: put it before the stamp.
		const mtime = new Date(activityAt - 1000);
		fs.utimesSync(file, mtime, mtime);
		return {name, mediumAt, highAt: activityAt + timeoutMs};
	});
	if (Date.now() - t0 > leadMs / 2) throw new Error('writing the manifests took too long for the planned crossings');

	const args = ['--headless', jobsDir, '--interval', `${intervalMs}ms`, '--worker-timeout', `${timeoutMs}ms`, '--critical-timeout', '1h', '--max-interventions', '1000', '--grace', '1s'];
	const child = spawn(sentinelArgv(args)[0], sentinelArgv(args).slice(1), {env: sentinelEnv(base), stdio: ['ignore', 'pipe', 'pipe']});
	onCleanup(`kill headless ${child.pid}`, () => killPid(child.pid));
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += chunk));
	const seen = new Map();
	/** job:severity -> when the first `assessment` line at that severity arrived. */
	const assessed = new Map();
	const errors = [];
	let startedAt = null;
	readline.createInterface({input: child.stdout}).on('line', line => {
		const arrived = Date.now();
		let event;
		try {
			event = JSON.parse(line);
		} catch {
			return;
		}
		if (event.type === 'sentinel.started') startedAt = arrived;
		if (event.type === 'error') errors.push(event.error);
		if (event.type === 'assessment' && !assessed.has(`${event.job_id}:${event.severity}`)) assessed.set(`${event.job_id}:${event.severity}`, arrived);
		if (event.type !== 'intervention') return;
		const key = `${event.job_id}:${event.action}`;
		if (!seen.has(key)) seen.set(key, {entry: event, arrived});
	});

	const lastHigh = Math.max(...jobs.map(job => job.highAt));
	while (Date.now() < lastHigh + 3 * intervalMs + 2000 && seen.size < 2 * count) await sleep(50);
	child.kill('SIGTERM');
	await new Promise(resolve => child.once('exit', resolve));

	const latencies = {notify: [], recover: [], notifyLine: [], recoverLine: [], notifySeen: [], recoverSeen: []};
	let missing = 0;
	for (const job of jobs) {
		for (const [action, crossing] of [['notify', job.mediumAt], ['recover', job.highAt]]) {
			const found = seen.get(`${job.name}:${action}`);
			if (!found) {
				missing++;
				continue;
			}
			latencies[action].push(Date.parse(found.entry.ts) - crossing);
			latencies[`${action}Line`].push(found.arrived - crossing);
			const seenAt = assessed.get(`${job.name}:${action === 'notify' ? 'medium' : 'high'}`);
			if (seenAt !== undefined) latencies[`${action}Seen`].push(seenAt - crossing);
		}
	}
	if (latencies.recover.length === 0) throw new Error(`no recover seen; sentinel stderr: ${stderr.slice(-2000)}; errors: ${errors.slice(0, 3).join(' | ')}`);
	const worstEntry = Math.max(max(latencies.notify), max(latencies.recover));
	return {
		title: `Hang to action: ${count} jobs crossing thresholds, --headless at --interval ${intervalMs}ms`,
		rows: [
			{measure: 'high (T) -> recover `started` entry ts', ours: summary(latencies.recover), peer: `${intervalMs} ms (one interval)`, ratio: `${(max(latencies.recover) / intervalMs).toFixed(2)} of it`, budget: '<= one interval, every job', pass: max(latencies.recover) <= intervalMs},
			{measure: 'medium (0.75 T) -> notify entry ts', ours: summary(latencies.notify), peer: `${intervalMs} ms (one interval)`, ratio: `${(max(latencies.notify) / intervalMs).toFixed(2)} of it`, budget: '<= one interval, every job', pass: max(latencies.notify) <= intervalMs},
			{measure: 'high (T) -> `intervention` line arrives', ours: summary(latencies.recoverLine), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'medium (0.75 T) -> `intervention` line arrives', ours: summary(latencies.notifyLine), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'high (T) -> `assessment` high line arrives', ours: summary(latencies.recoverSeen), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'medium (0.75 T) -> `assessment` medium line arrives', ours: summary(latencies.notifySeen), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'interventions missing', ours: String(missing), peer: `of ${2 * count}`, ratio: '', budget: '0', pass: missing === 0},
		],
		notes: [
			`worker timeout T = ${timeoutMs} ms; each job's last_activity, history stamp and manifest mtime set so 0.75 T and T fall at known ms, spread over three intervals`,
			`each job is a real \`sleep\` with process_id and process_start; --grace 1s; the sentinel printed sentinel.started ${startedAt === null ? 'never' : `${startedAt - t0} ms`} after the manifests were written (first crossing at ${leadMs} ms)`,
			`on the interval's cadence alone a crossing waits up to one interval for its tick; a sentinel that also wakes at the next silence deadline answers in about a tick's own time; worst entry ${fmt.ms(worstEntry)}`,
			...(errors.length ? [`sentinel errors: ${errors.slice(0, 3).join(' | ')}`] : []),
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(hangToActionBench, {jobs: {type: 'string', default: '16'}, interval: {type: 'string', default: '1000'}, timeout: {type: 'string', default: '8000'}});
}
