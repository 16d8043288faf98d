import fs from 'node:fs';
import path from 'node:path';
import {readProcess, readRealUid} from '../../source/sentinel/observe/process-table.js';
import {asNobody, nobodyIds} from './nobody.js';
import {startProcess, waitFor} from './processes.js';
import {writeJob} from './temp-dir.js';

// The faults of issue 14, made with real files and processes: jobs a sentinel must survive.

/** Long enough ago that a job with a short --worker-timeout is high at its first tick, short of an hour's critical. */
export const tenMinutesMs = 10 * 60_000;

/**
 * Manifest text whose arrays and objects nest `depth` levels, its own object counted as the
 * first: `fields`, then a field `nested` holding depth - 1 arrays, one inside the other.
 */
export function nestedManifest(fields: Record<string, unknown>, depth: number): string {
	const head = JSON.stringify(fields).slice(0, -1);
	return `${head},"nested":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

/** A real `sleep 300` (as nobody when asked), killed when the test ends; its pid once it runs sleep. */
export async function startSleeper(options: {asNobody?: boolean} = {}): Promise<number> {
	const child = options.asNobody ? startProcess(asNobody[0]!, [...asNobody.slice(1), 'sleep', '300']) : startProcess('sleep', ['300']);
	const pid = child.pid!;
	const uid = options.asNobody ? nobodyIds().uid : process.getuid?.();
	const ready = await waitFor(() => readProcess(pid)?.name === 'sleep' && readRealUid(pid) === uid, 5000);
	if (!ready) throw new Error(`sleep ${pid} did not start`);
	return pid;
}

/** When `pid` started, as the ISO stamp a manifest's process_start holds. */
export function processStart(pid: number): string {
	const info = readProcess(pid);
	if (!info) throw new Error(`no process ${pid}`);
	return new Date(info.startTimeMs).toISOString();
}

/** Set the times of `file` (not through a link) to `ms` before now. */
export function age(file: string, ms: number): void {
	const when = new Date(Date.now() - ms);
	fs.lutimesSync(file, when, when);
}

/**
 * A RUNNING job of process `pid` (with its process_start, so the sentinel knows it is the job's),
 * silent for `silentMs`: its stamps and its manifest's mtime that long ago. Its directory.
 */
export function writeSilentJob(jobsDir: string, name: string, pid: number, fields: Record<string, unknown> = {}, silentMs = tenMinutesMs): string {
	const stamp = new Date(Date.now() - silentMs).toISOString();
	const dir = writeJob(jobsDir, name, {job_id: name, status: 'RUNNING', role: 'worker', process_id: pid, process_start: processStart(pid), updated_at: stamp, last_activity: stamp, ...fields});
	age(path.join(dir, 'job_manifest.json'), silentMs);
	return dir;
}

/** `<jobsDir>/<name>` made a link to itself: ELOOP for whoever follows it. */
export function writeLinkLoop(jobsDir: string, name: string): string {
	const link = path.join(jobsDir, name);
	fs.symlinkSync(name, link);
	return link;
}

/** A file outside the jobs directory, and `<jobDir>/.lock` made a link to it. Returns the file. */
export function linkLockOutside(jobDir: string, outsideDir: string): string {
	const target = path.join(outsideDir, 'precious.txt');
	fs.writeFileSync(target, 'not the sentinel\'s to touch\n');
	age(target, 60_000);
	fs.symlinkSync(target, path.join(jobDir, '.lock'));
	return target;
}

/** What the target of a lock link looked like, to compare after: bytes, mode, owner, times. */
export function fileFacts(file: string): string {
	const stats = fs.statSync(file);
	return JSON.stringify({text: fs.readFileSync(file, 'utf8'), mode: stats.mode, uid: stats.uid, gid: stats.gid, mtime: stats.mtimeMs, ctime: stats.ctimeMs, size: stats.size});
}
