// Jobs for the benchmarks: temp jobs directories, manifests, and real processes to watch.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {killGroup, onCleanup} from './cleanup.js';
import {startTimeMs} from './proc.js';

/** A fresh directory, removed when the benchmark ends. */
export function makeTempDir(prefix) {
	const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
	onCleanup(`rm ${dir}`, () => fs.rmSync(dir, {recursive: true, force: true}));
	return dir;
}

/**
 * A benchmark's own temp base (for HOME, sockets, reports) holding an empty `jobs` directory;
 * both removed when the benchmark ends.
 */
export function makeBenchDirs(name) {
	const base = makeTempDir(`sentinel-bench-${name}-`);
	const jobsDir = path.join(base, 'jobs');
	fs.mkdirSync(jobsDir);
	return {base, jobsDir};
}

/** Write `<jobsDir>/<name>/job_manifest.json` (plainly, as Logist does) and return its path. */
export function writeManifest(jobsDir, name, manifest) {
	const dir = path.join(jobsDir, name);
	fs.mkdirSync(dir, {recursive: true});
	const file = path.join(dir, 'job_manifest.json');
	fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
	return file;
}

/** A job name that sorts and reads well: bench-0042. */
export function jobName(index) {
	return `bench-${String(index).padStart(4, '0')}`;
}

/** A running worker's manifest for `pid` (with `process_start`, so identity checks pass), active now. */
export function liveManifest(name, pid, extra = {}) {
	const now = new Date().toISOString();
	const started = pid === null ? null : startTimeMs(pid);
	return {
		job_id: name,
		description: `benchmark job ${name}`,
		status: 'RUNNING',
		role: 'worker',
		...(pid === null ? {} : {process_id: pid, process_start: new Date(started).toISOString()}),
		command: 'sleep',
		created_at: now,
		last_activity: now,
		history: [{event: 'JOB_STARTED', timestamp: now}],
		...extra,
	};
}

/**
 * Start `count` `sleep` processes in one new process group (one shell forks them all), killed
 * when the benchmark ends; each also ends by itself after `lifetimeSeconds`, so nothing outlives
 * a benchmark that was itself killed. Resolves with their pids.
 */
export async function startSleepers(count, lifetimeSeconds) {
	const script = `i=0; while [ $i -lt ${count} ]; do sleep ${Math.ceil(lifetimeSeconds)} & echo $!; i=$((i+1)); done; exec sleep ${Math.ceil(lifetimeSeconds)}`;
	const shell = spawn('/bin/sh', ['-c', script], {detached: true, stdio: ['ignore', 'pipe', 'inherit']});
	onCleanup(`kill sleepers ${shell.pid}`, () => killGroup(shell.pid));
	const pids = [];
	let buffered = '';
	await new Promise((resolve, reject) => {
		shell.once('error', reject);
		shell.stdout.on('data', chunk => {
			buffered += chunk;
			const lines = buffered.split('\n');
			buffered = lines.pop();
			for (const line of lines) if (line.trim()) pids.push(Number(line));
			if (pids.length >= count) resolve();
		});
		shell.once('exit', () => reject(new Error(`the shell starting sleepers exited after ${pids.length} of ${count}`)));
	});
	shell.stdout.destroy();
	shell.unref();
	return {pgid: shell.pid, pids};
}

const statuses = ['RUNNING', 'SUCCESS', 'PENDING', 'FAILED', 'REVIEWING'];
/** How many of writeThousandJobs' jobs name a live process, unless told otherwise. */
export const liveJobs = 10;

/**
 * `count` manifests: the first `live` each naming a `sleep` of its own (RUNNING), the rest a mix
 * of statuses without a pid. The sleepers end with the benchmark, or after `lifetimeSeconds`.
 * Resolves with the sleepers' pids.
 */
export async function writeThousandJobs(jobsDir, count, {live = liveJobs, lifetimeSeconds = 900} = {}) {
	const {pids} = await startSleepers(Math.min(live, count), lifetimeSeconds);
	for (let index = 0; index < count; index++) {
		const name = jobName(index);
		const pid = index < pids.length ? pids[index] : null;
		writeManifest(jobsDir, name, liveManifest(name, pid, pid === null ? {status: statuses[index % statuses.length]} : {}));
	}
	return pids;
}
