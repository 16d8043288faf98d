import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {JobWatcher} from '../../source/jobs/job-watcher.js';
import {watchedInodes} from '../helpers/file-watches.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

type Heard = {event: string; dir: string; mtimeMs?: number};

/** A started watcher on `jobsDir` and everything it has reported so far; `tick` looks at the logs folders, as the engine's tick does. */
async function watchJobs(jobsDir: string, forcePolling = false): Promise<Heard[] & {tick: () => void; watcher: JobWatcher; looked: Array<{relative: string; size: number}>}> {
	const heard: Heard[] = [];
	// The lstats handed on with an activity (taken by the tick's own look).
	const looked: Array<{relative: string; size: number}> = [];
	let ready = () => {};
	const scanned = new Promise<void>(resolve => (ready = resolve));
	const watcher = new JobWatcher(
		jobsDir,
		{
			manifestChanged: dir => heard.push({event: 'changed', dir}),
			manifestRemoved: dir => heard.push({event: 'removed', dir}),
			activity(dir, mtimeMs, relative, stats) {
				heard.push({event: 'activity', dir, mtimeMs});
				if (stats) looked.push({relative, size: stats.size});
			},
			indexChanged: () => heard.push({event: 'index', dir: jobsDir}),
			modeChanged: mode => heard.push({event: mode, dir: jobsDir}),
			error: message => heard.push({event: `error ${message}`, dir: jobsDir}),
			ready: () => ready(),
		},
		100,
		forcePolling,
	);
	onTestFinished(async () => watcher.close());
	watcher.start();
	// The folders under the jobs directory are watched a hundred a turn: events come once all are.
	await scanned;
	return Object.assign(heard, {tick: () => watcher.lookAtPolled(), watcher, looked});
}

const heardOf = (heard: Heard[], event: string, dir: string) => heard.some(entry => entry.event === event && entry.dir === dir);

describe('the job watcher, with real files', () => {
	it('reports a manifest rewritten in place, one renamed into place, and one removed', async () => {
		const jobsDir = makeTempDir();
		const dir = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		const manifest = path.join(dir, 'job_manifest.json');
		const heard = await watchJobs(jobsDir);

		fs.writeFileSync(manifest, JSON.stringify({job_id: 'alpha', status: 'REVIEWING'}));
		expect(await waitFor(() => heardOf(heard, 'changed', dir), 3000)).toBe(true);
		const wroteAt = fs.statSync(manifest).mtimeMs;
		expect(heard).toContainEqual({event: 'activity', dir, mtimeMs: wroteAt});

		heard.length = 0;
		fs.writeFileSync(path.join(dir, 'next.tmp'), JSON.stringify({job_id: 'alpha', status: 'SUCCESS'}));
		fs.renameSync(path.join(dir, 'next.tmp'), manifest);
		expect(await waitFor(() => heardOf(heard, 'changed', dir), 3000)).toBe(true);
		expect(heardOf(heard, 'removed', dir)).toBe(false);

		fs.rmSync(manifest);
		expect(await waitFor(() => heardOf(heard, 'removed', dir), 3000)).toBe(true);
	});

	it('hears a log appended, and a file written in a logs folder made after the start', async () => {
		const jobsDir = makeTempDir();
		const alpha = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		const beta = writeJob(jobsDir, 'beta', {job_id: 'beta', status: 'RUNNING'});
		fs.mkdirSync(path.join(alpha, 'logs'));
		fs.writeFileSync(path.join(alpha, 'logs', 'output.log'), 'first\n');
		const heard = await watchJobs(jobsDir);

		fs.appendFileSync(path.join(alpha, 'logs', 'output.log'), 'second\n');
		const appendedAt = fs.statSync(path.join(alpha, 'logs', 'output.log')).mtimeMs;
		// A logs folder is looked at on the tick, not watched: nothing is heard until then.
		await new Promise(resolve => setTimeout(resolve, 200));
		expect(heardOf(heard, 'activity', alpha)).toBe(false);
		heard.tick();
		expect(heard).toContainEqual({event: 'activity', dir: alpha, mtimeMs: appendedAt});
		// With the lstat that look took, so the output follower need not take it again.
		expect(heard.looked).toEqual([{relative: path.join('logs', 'output.log'), size: 'first\nsecond\n'.length}]);
		// A file heard by its folder's watch, looked at on the next turn, is handed on without it.
		fs.appendFileSync(path.join(alpha, 'notes.log'), 'note\n');
		expect(await waitFor(() => heard.filter(entry => entry.dir === alpha).length === 2, 3000)).toBe(true);
		expect(heard.looked).toHaveLength(1);

		// Written in the same breath as its folder: before any watch on that folder can exist.
		fs.mkdirSync(path.join(beta, 'logs'));
		fs.writeFileSync(path.join(beta, 'logs', 'output.log'), 'hello\n');
		const wroteAt = fs.statSync(path.join(beta, 'logs', 'output.log')).mtimeMs;
		expect(await waitFor(() => heard.some(entry => entry.event === 'activity' && entry.dir === beta && entry.mtimeMs === wroteAt), 3000)).toBe(true);
		// Then a file made in it, and one changed: each heard once on the next tick, and not again.
		heard.length = 0;
		fs.writeFileSync(path.join(beta, 'logs', 'heartbeat'), '');
		fs.appendFileSync(path.join(beta, 'logs', 'output.log'), 'again\n');
		heard.tick();
		heard.tick();
		expect(heard.filter(entry => entry.event === 'activity' && entry.dir === beta).map(entry => entry.mtimeMs).sort()).toEqual(
			[fs.statSync(path.join(beta, 'logs', 'heartbeat')).mtimeMs, fs.statSync(path.join(beta, 'logs', 'output.log')).mtimeMs].sort(),
		);
		expect(heardOf(heard, 'changed', alpha) || heardOf(heard, 'changed', beta)).toBe(false);
	});

	it('reports a new job whose manifest was written with its folder', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		const heard = await watchJobs(jobsDir);
		const gamma = writeJob(jobsDir, 'gamma', {job_id: 'gamma', status: 'RUNNING'});
		expect(await waitFor(() => heardOf(heard, 'changed', gamma), 3000)).toBe(true);
		fs.rmSync(gamma, {recursive: true});
		expect(await waitFor(() => heardOf(heard, 'removed', gamma), 3000)).toBe(true);
	});

	it('takes the sentinel\'s own files for nobody\'s activity', async () => {
		const jobsDir = makeTempDir();
		const dir = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		const heard = await watchJobs(jobsDir);
		fs.writeFileSync(path.join(dir, '.lock'), '');
		fs.writeFileSync(path.join(dir, '.sentinel-write.tmp'), '{}');
		fs.mkdirSync(path.join(dir, '.backups'));
		fs.writeFileSync(path.join(dir, '.backups', 'job_manifest.json.1'), '{}');
		// Then a real write, to know the watcher has caught up with the ones before it.
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'real\n');
		expect(await waitFor(() => heardOf(heard, 'activity', dir), 3000)).toBe(true);
		const notesAt = fs.statSync(path.join(dir, 'notes.txt')).mtimeMs;
		expect(new Set(heard.filter(entry => entry.event === 'activity').map(entry => entry.mtimeMs))).toEqual(new Set([notesAt]));
	});

	it('reports the same changes when polling', async () => {
		const jobsDir = makeTempDir();
		const dir = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), 'first\n');
		const heard = await watchJobs(jobsDir, true);
		// Polling compares mtimes: a later second than the files' first writes.
		await new Promise(resolve => setTimeout(resolve, 50));
		fs.appendFileSync(path.join(dir, 'logs', 'output.log'), 'second\n');
		fs.writeFileSync(path.join(dir, 'job_manifest.json'), JSON.stringify({job_id: 'alpha', status: 'SUCCESS'}));
		expect(await waitFor(() => heardOf(heard, 'changed', dir), 3000)).toBe(true);
		const appendedAt = fs.statSync(path.join(dir, 'logs', 'output.log')).mtimeMs;
		expect(await waitFor(() => heard.some(entry => entry.event === 'activity' && entry.mtimeMs === appendedAt), 3000)).toBe(true);
	});

	it('watches each job folder and the folders in it but logs, no deeper, never through a link, never the sentinel\'s own', async () => {
		const jobsDir = makeTempDir();
		const alpha = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		fs.mkdirSync(path.join(alpha, 'work', 'deeper'), {recursive: true});
		fs.mkdirSync(path.join(alpha, 'logs'));
		fs.mkdirSync(path.join(alpha, '.backups'));
		fs.mkdirSync(path.join(jobsDir, '.sentinel'));
		const outside = makeTempDir();
		fs.symlinkSync(outside, path.join(alpha, 'linked'));
		fs.symlinkSync(outside, path.join(jobsDir, 'linked-job'));
		await watchJobs(jobsDir);
		const watched = watchedInodes();
		const inode = (folder: string) => fs.statSync(folder).ino;
		for (const folder of [jobsDir, alpha, path.join(alpha, 'work')]) expect(watched.has(inode(folder)), folder).toBe(true);
		const unwatched = [path.join(alpha, 'logs'), path.join(alpha, 'work', 'deeper'), path.join(alpha, '.backups'), path.join(jobsDir, '.sentinel'), outside];
		for (const folder of unwatched) expect(watched.has(inode(folder)), folder).toBe(false);
	});

	it('follows a job folder renamed and lets go of one removed, with the folders in them', async () => {
		const jobsDir = makeTempDir();
		const alpha = writeJob(jobsDir, 'alpha', {job_id: 'alpha', status: 'RUNNING'});
		fs.mkdirSync(path.join(alpha, 'logs'));
		fs.mkdirSync(path.join(alpha, 'work'));
		const heard = await watchJobs(jobsDir);
		const beta = path.join(jobsDir, 'beta');
		fs.renameSync(alpha, beta);
		expect(await waitFor(() => heardOf(heard, 'removed', alpha) && heardOf(heard, 'changed', beta), 3000)).toBe(true);
		heard.length = 0;
		fs.appendFileSync(path.join(beta, 'work', 'notes.txt'), 'after the move\n');
		expect(await waitFor(() => heardOf(heard, 'activity', beta), 3000)).toBe(true);
		heard.length = 0;
		fs.appendFileSync(path.join(beta, 'logs', 'output.log'), 'after the move\n');
		heard.tick();
		expect(heardOf(heard, 'activity', beta)).toBe(true);
		expect(heardOf(heard, 'activity', alpha)).toBe(false);

		fs.rmSync(beta, {recursive: true});
		expect(await waitFor(() => heardOf(heard, 'removed', beta), 3000)).toBe(true);
		// Made again under the same name: watched afresh, not taken for the folder that went.
		heard.length = 0;
		fs.mkdirSync(path.join(beta, 'work'), {recursive: true});
		await waitFor(() => watchedInodes().has(fs.statSync(path.join(beta, 'work')).ino), 3000);
		fs.appendFileSync(path.join(beta, 'work', 'notes.txt'), 'again\n');
		const againAt = fs.statSync(path.join(beta, 'work', 'notes.txt')).mtimeMs;
		expect(await waitFor(() => heard.some(entry => entry.event === 'activity' && entry.dir === beta && entry.mtimeMs === againAt), 3000)).toBe(true);
	});

	it('watches a job directory that jobs_index.json names elsewhere, its logs on the tick, until it is no longer named', async () => {
		const jobsDir = makeTempDir();
		const remote = writeJob(makeTempDir(), 'remote', {job_id: 'remote', status: 'RUNNING'});
		fs.mkdirSync(path.join(remote, 'logs'));
		const heard = await watchJobs(jobsDir);
		heard.watcher.setExtraDirs([remote]);
		fs.writeFileSync(path.join(remote, 'job_manifest.json'), JSON.stringify({job_id: 'remote', status: 'REVIEWING'}));
		expect(await waitFor(() => heardOf(heard, 'changed', remote), 3000)).toBe(true);
		fs.appendFileSync(path.join(remote, 'logs', 'output.log'), 'a line\n');
		heard.tick();
		expect(heard).toContainEqual({event: 'activity', dir: remote, mtimeMs: fs.statSync(path.join(remote, 'logs', 'output.log')).mtimeMs});

		heard.watcher.setExtraDirs([]);
		heard.length = 0;
		fs.writeFileSync(path.join(remote, 'job_manifest.json'), JSON.stringify({job_id: 'remote', status: 'SUCCESS'}));
		fs.appendFileSync(path.join(remote, 'logs', 'output.log'), 'another\n');
		// A job of the jobs directory written after it: once that is heard, the other would have been.
		const local = writeJob(jobsDir, 'local', {job_id: 'local', status: 'RUNNING'});
		expect(await waitFor(() => heardOf(heard, 'changed', local), 3000)).toBe(true);
		heard.tick();
		expect(heard.filter(entry => entry.dir === remote)).toEqual([]);
	});
});
