import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {JobRegistry} from '../../../source/sentinel/observe/job-registry.js';
import type {JobState} from '../../../source/sentinel/job-state.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

function makeRegistry(jobsDir: string, brokenGraceMs = 0) {
	const added: string[] = [];
	const removed: string[] = [];
	const invalid: string[] = [];
	const listener = {
		added: (state: JobState) => added.push(path.basename(state.record.dir)),
		removed: (state: JobState) => removed.push(path.basename(state.record.dir)),
		becameInvalid: (job: {dir: string}) => invalid.push(path.basename(job.dir)),
		error: () => {},
	};
	return {registry: new JobRegistry(jobsDir, listener, brokenGraceMs, () => Date.now()), added, removed, invalid};
}

function statusOf(registry: JobRegistry, dir: string): string | undefined {
	const record = registry.states.get(dir)?.record;
	return record?.valid ? record.status : undefined;
}

// The tick's refresh runs in the same turn as its discover; a change comes in a later turn.
async function nextTurn(): Promise<void> {
	await new Promise(resolve => setImmediate(resolve));
}

describe('JobRegistry', () => {
	it('finds plain and linked manifests, and takes a directory without one for no job', async () => {
		const jobsDir = makeTempDir();
		const plain = writeJob(jobsDir, 'plain', {status: 'RUNNING'});
		const linked = writeJob(jobsDir, 'target', {status: 'PENDING'});
		fs.mkdirSync(path.join(jobsDir, 'linked'));
		fs.symlinkSync(path.join(linked, 'job_manifest.json'), path.join(jobsDir, 'linked', 'job_manifest.json'));
		fs.mkdirSync(path.join(jobsDir, 'empty'));
		fs.mkdirSync(path.join(jobsDir, 'dangling'));
		fs.symlinkSync(path.join(jobsDir, 'nowhere.json'), path.join(jobsDir, 'dangling', 'job_manifest.json'));
		const {registry, added, invalid} = makeRegistry(jobsDir);
		await registry.discover();
		expect(added.sort()).toEqual(['dangling', 'linked', 'plain', 'target']);
		expect(invalid).toEqual(['dangling']);
		expect(statusOf(registry, plain)).toBe('RUNNING');
		expect(statusOf(registry, path.join(jobsDir, 'linked'))).toBe('PENDING');
		// The manifest is the job's only file: its mtime is the job's file activity.
		const mtimeMs = fs.statSync(path.join(plain, 'job_manifest.json')).mtimeMs;
		expect(registry.states.get(plain)!.fileActivityMs).toBe(mtimeMs);
	});

	// A link's own stat is what is compared: a new link is seen, a write through an old one is not.
	it('reads again on refresh every manifest changed behind the watcher, plain or linked', async () => {
		const jobsDir = makeTempDir();
		const plain = writeJob(jobsDir, 'plain', {status: 'RUNNING'});
		const target = writeJob(jobsDir, 'target', {status: 'PENDING'});
		const linked = path.join(jobsDir, 'linked');
		fs.mkdirSync(linked);
		fs.symlinkSync(path.join(target, 'job_manifest.json'), path.join(linked, 'job_manifest.json'));
		const gone = writeJob(jobsDir, 'gone', {status: 'RUNNING'});
		const {registry, removed} = makeRegistry(jobsDir);
		await registry.discover();
		await nextTurn();
		writeJob(jobsDir, 'plain', {status: 'SUCCESS, after all'});
		const other = writeJob(jobsDir, 'other', {status: 'FAILED, after all'});
		fs.rmSync(path.join(linked, 'job_manifest.json'));
		fs.symlinkSync(path.join(other, 'job_manifest.json'), path.join(linked, 'job_manifest.json'));
		fs.rmSync(path.join(gone, 'job_manifest.json'));
		await registry.refreshChanged();
		expect(statusOf(registry, plain)).toBe('SUCCESS, after all');
		expect(statusOf(registry, linked)).toBe('FAILED, after all');
		expect(removed).toEqual(['gone']);
	});

	it('waits for a manifest created empty a moment ago, and shows one that stays empty invalid', async () => {
		const jobsDir = makeTempDir();
		// A grace no slow machine outlasts between a write and the look after it; one that stays
		// empty past it is made so by its mtime, set back, not by waiting.
		const {registry, added, invalid} = makeRegistry(jobsDir, 10_000);
		// As a writer leaves it between its create and its first write.
		const fresh = writeJob(jobsDir, 'fresh', '');
		await registry.discover();
		expect(added).toEqual([]);
		fs.writeFileSync(path.join(fresh, 'job_manifest.json'), JSON.stringify({status: 'PENDING'}));
		await registry.reload(fresh);
		expect(added).toEqual(['fresh']);
		expect(statusOf(registry, fresh)).toBe('PENDING');

		const staysEmpty = path.join(writeJob(jobsDir, 'stays-empty', ''), 'job_manifest.json');
		await registry.discover();
		expect(added).toEqual(['fresh']);
		const graceAgo = new Date(Date.now() - 10_050);
		fs.utimesSync(staysEmpty, graceAgo, graceAgo);
		await registry.discover();
		expect(added).toEqual(['fresh', 'stays-empty']);
		expect(invalid).toEqual(['stays-empty']);
	});
});
