import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {contentKey} from '../../source/jobs/content-key.js';
import {isJobDirName, readManifest} from '../../source/jobs/read-manifest.js';
import type {InvalidJob, JobRecord, ValidJob} from '../../source/types.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {useTimeZone} from '../helpers/time-zone.js';

const fixtures = logistFixtures;
const isRoot = process.getuid?.() === 0;

useTimeZone('Asia/Kolkata');

// The fixtures are read-only: copy their bytes, not their modes, so the temp dir can be removed.
function copyFixture(jobsDir: string, name: string): string {
	const dir = path.join(jobsDir, name);
	fs.mkdirSync(dir);
	for (const file of fs.readdirSync(path.join(fixtures, name))) {
		fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(fixtures, name, file)));
	}
	return dir;
}

function expectValid(job: JobRecord): ValidJob {
	if (!job.valid) throw new Error(`expected a valid job, got: ${job.error}`);
	return job;
}

function expectInvalid(job: JobRecord, reason: RegExp): InvalidJob {
	if (job.valid) throw new Error('expected an invalid job');
	expect(job.error).toMatch(reason);
	expect(job.error).not.toMatch(/\n/);
	return job;
}

describe('the Logist fixtures', () => {
	it('test-job: pending, no pid, empty history, worker', async () => {
		const jobsDir = makeTempDir();
		const dir = copyFixture(jobsDir, 'test-job');
		const job = expectValid(await readManifest(dir, jobsDir));
		const bytes = fs.readFileSync(path.join(dir, 'job_manifest.json'));
		const stats = fs.statSync(path.join(dir, 'job_manifest.json'));
		expect(job).toMatchObject({
			jobId: 'test-job',
			dir,
			manifestPath: path.join(dir, 'job_manifest.json'),
			status: 'PENDING',
			role: 'worker',
			pid: null,
			processStartMs: null,
			description: 'Job test-job',
			command: null,
			latestStampMs: null,
			overrides: {},
			manifestMtimeMs: stats.mtimeMs,
			ownerUid: stats.uid,
			ownerGid: stats.gid,
			contentKey: contentKey(bytes),
		});
	});

	it('test_error_job_sim: its naive history stamp is local time', async () => {
		const jobsDir = makeTempDir();
		const job = expectValid(await readManifest(copyFixture(jobsDir, 'test_error_job_sim'), jobsDir));
		expect(job.status).toBe('INTERVENTION_REQUIRED');
		expect(job.latestStampMs).toBe(Date.UTC(2025, 10, 30, 7, 42, 10, 165)); // 13:12:10.165 at +05:30
	});

	it('test_poststep_job: named by its job_id, extra fields irrelevant', async () => {
		const jobsDir = makeTempDir();
		const dir = copyFixture(jobsDir, 'test_poststep_job');
		const job = expectValid(await readManifest(dir, jobsDir));
		expect(job).toMatchObject({
			jobId: 'sample-implementation',
			status: 'RUNNING',
			role: 'worker',
			description: 'Sample job demonstrating logist workflow for implementing a Python utility function',
			latestStampMs: Date.UTC(2025, 10, 30, 15, 15, 57, 102),
		});
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8')) as Record<string, unknown>;
		const read = ['job_id', 'description', 'status', 'current_phase', 'history', 'phases'];
		const bare = Object.fromEntries(Object.entries(manifest).filter(([key]) => read.includes(key)));
		const bareJobsDir = makeTempDir();
		const bareJob = expectValid(await readManifest(writeJob(bareJobsDir, 'bare', bare), bareJobsDir));
		const {contentKey: _a, manifestMtimeMs: _b, dir: _c, manifestPath: _d, ...fields} = job;
		expect(bareJob).toMatchObject(fields);
	});
});

describe('readManifest: files that make a job invalid', () => {
	async function readBytes(bytes: Buffer | string): Promise<JobRecord> {
		const jobsDir = makeTempDir();
		const dir = path.join(jobsDir, 'job-dir');
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, 'job_manifest.json'), bytes);
		return readManifest(dir, jobsDir);
	}
	const fixture = fs.readFileSync(path.join(fixtures, 'test_poststep_job', 'job_manifest.json'));

	it.each([
		['not JSON', 'status: RUNNING', /not JSON/],
		['truncated', fixture.subarray(0, fixture.length / 2), /not JSON/],
		['empty', '', /empty/],
		['binary', Buffer.from([0x7b, 0x00, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /binary/],
		['not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), /UTF-8/],
		['an array', '[{"status": "RUNNING"}]', /not a JSON object/],
		['null', 'null', /not a JSON object/],
		['a string', '"RUNNING"', /not a JSON object/],
	])('%s', async (_name, bytes, reason) => {
		const job = expectInvalid(await readBytes(bytes), reason);
		expect(job.jobId).toBe('job-dir');
	});

	it('reads up to 1 MiB and refuses one byte more, by size alone', async () => {
		const body = '{"job_id": "big", "status": "RUNNING"}';
		const exact = body + ' '.repeat(2 ** 20 - body.length);
		expect(expectValid(await readBytes(exact)).jobId).toBe('big');
		const job = expectInvalid(await readBytes(exact + ' '), /over 1 MiB/);
		expect(job.jobId).toBe('job-dir');
	});

	it('refuses nesting deeper than 64 levels, before any recursive walk of it', async () => {
		const deep = (levels: number) => `{"job_id": "deep", "status": "RUNNING", "a": ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
		expect(expectValid(await readBytes(deep(64))).jobId).toBe('deep');
		expectInvalid(await readBytes(deep(65)), /nests deeper than 64 levels/);
		expectInvalid(await readBytes(deep(100_000)), /nests deeper than 64 levels/);
	});

	it('names an invalid job by its directory, whatever its job_id says', async () => {
		const job = expectInvalid(await readBytes('{"job_id": "other", "status": "RUNNING", "pid": 0}'), /pid/);
		expect(job.jobId).toBe('job-dir');
	});

	it('refuses a manifest linked to a file outside the jobs directory', async () => {
		const jobsDir = makeTempDir();
		const outside = writeJob(makeTempDir(), 'elsewhere', {status: 'RUNNING'});
		const dir = path.join(jobsDir, 'linked');
		fs.mkdirSync(dir);
		fs.symlinkSync(path.join(outside, 'job_manifest.json'), path.join(dir, 'job_manifest.json'));
		expectInvalid(await readManifest(dir, jobsDir), /outside the jobs directory/);
	});

	it('refuses a job directory linked to a directory outside the jobs directory', async () => {
		const jobsDir = makeTempDir();
		const outside = writeJob(makeTempDir(), 'elsewhere', {status: 'RUNNING'});
		fs.symlinkSync(outside, path.join(jobsDir, 'linked'));
		expectInvalid(await readManifest(path.join(jobsDir, 'linked'), jobsDir), /outside the jobs directory/);
	});

	it('reads a job directory outside the jobs directory (from jobs_index.json) within that directory', async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		const listed = writeJob(elsewhere, 'listed', {job_id: 'listed', status: 'RUNNING'});
		expect(expectValid(await readManifest(listed, jobsDir)).jobId).toBe('listed');

		const leaking = path.join(elsewhere, 'leaking');
		fs.mkdirSync(leaking);
		fs.symlinkSync(path.join(listed, 'job_manifest.json'), path.join(leaking, 'job_manifest.json'));
		expectInvalid(await readManifest(leaking, jobsDir), /leads outside its job directory/);
	});

	it('follows a link that stays inside the jobs directory', async () => {
		const jobsDir = makeTempDir();
		const real = writeJob(jobsDir, 'real', {job_id: 'shared', status: 'RUNNING'});
		const dir = path.join(jobsDir, 'alias');
		fs.mkdirSync(dir);
		fs.symlinkSync(path.join(real, 'job_manifest.json'), path.join(dir, 'job_manifest.json'));
		expect(expectValid(await readManifest(dir, jobsDir)).jobId).toBe('shared');
	});

	it('refuses a FIFO without blocking, and a directory', async () => {
		const jobsDir = makeTempDir();
		const fifoDir = path.join(jobsDir, 'fifo');
		fs.mkdirSync(fifoDir);
		execFileSync('mkfifo', [path.join(fifoDir, 'job_manifest.json')]);
		expectInvalid(await readManifest(fifoDir, jobsDir), /not a regular file/);
		const dirDir = path.join(jobsDir, 'dir');
		fs.mkdirSync(path.join(dirDir, 'job_manifest.json'), {recursive: true});
		expectInvalid(await readManifest(dirDir, jobsDir), /not a regular file/);
	});

	it('says so when there is no manifest, or no directory at all', async () => {
		const jobsDir = makeTempDir();
		fs.mkdirSync(path.join(jobsDir, 'empty'));
		expectInvalid(await readManifest(path.join(jobsDir, 'empty'), jobsDir), /no job_manifest.json/);
		expectInvalid(await readManifest(path.join(jobsDir, 'gone'), jobsDir), /no job_manifest.json/);
	});

	it.runIf(isRoot)('reports the owner of the manifest file', async () => {
		const jobsDir = makeTempDir();
		const dir = writeJob(jobsDir, 'owned', {status: 'RUNNING'});
		fs.chownSync(path.join(dir, 'job_manifest.json'), 65534, 65533);
		expect(expectValid(await readManifest(dir, jobsDir))).toMatchObject({ownerUid: 65534, ownerGid: 65533});
	});

	it('skips hidden directories as job names', () => {
		expect(isJobDirName('job-1')).toBe(true);
		expect(isJobDirName('.sentinel')).toBe(false);
		expect(isJobDirName('.backups')).toBe(false);
		expect(isJobDirName('')).toBe(false);
	});
});
