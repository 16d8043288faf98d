import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readJobsIndex} from '../../source/jobs/jobs-index.js';
import {makeTempDir} from '../helpers/temp-dir.js';

const isRoot = process.getuid?.() === 0;

function writeIndex(jobsDir: string, index: unknown): void {
	const text = typeof index === 'string' || Buffer.isBuffer(index) ? index : JSON.stringify(index, null, 2);
	fs.writeFileSync(path.join(jobsDir, 'jobs_index.json'), text);
}

function makeDir(parent: string, name: string): string {
	const dir = path.join(parent, name);
	fs.mkdirSync(dir, {recursive: true});
	return dir;
}

describe('readJobsIndex', () => {
	it('no index: no directories and no error', async () => {
		expect(await readJobsIndex(makeTempDir())).toEqual({dirs: [], error: null});
		expect(await readJobsIndex('/nonexistent/sentinel-jobs')).toEqual({dirs: [], error: null});
	});

	it("reads Logist's index, keeping directories outside the jobs directory", async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		const a = makeDir(elsewhere, 'job-a');
		const b = makeDir(elsewhere, 'nested/job-b');
		writeIndex(jobsDir, {current_job_id: 'job-a', jobs: {'job-a': a, 'job-b': b + '/'}, queue: ['job-b']});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [a, b], error: null});
	});

	it('leaves out directories the ordinary scan of the jobs directory finds', async () => {
		const jobsDir = makeTempDir();
		const inside = makeDir(jobsDir, 'job-in');
		const hidden = makeDir(jobsDir, '.hidden-job');
		const deeper = makeDir(jobsDir, 'group/job-deep');
		writeIndex(jobsDir, {jobs: {in: inside, hidden, deeper}});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [hidden, deeper], error: null});
	});

	it('skips entries that are not absolute paths of existing directories, or repeated', async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		const good = makeDir(elsewhere, 'good');
		fs.writeFileSync(path.join(elsewhere, 'file'), '');
		writeIndex(jobsDir, {
			jobs: {
				relative: 'good',
				dotted: './good',
				missing: path.join(elsewhere, 'missing'),
				file: path.join(elsewhere, 'file'),
				number: 5,
				nothing: null,
				object: {dir: good},
				good,
				again: good + '/.',
			},
		});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [good], error: null});
	});

	it('an index without jobs lists nothing', async () => {
		const jobsDir = makeTempDir();
		writeIndex(jobsDir, {current_job_id: null});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [], error: null});
	});

	it.runIf(isRoot)('counts a directory only when the owner of the index owns it', async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		const mine = makeDir(elsewhere, 'mine');
		const theirs = makeDir(elsewhere, 'theirs');
		fs.chownSync(theirs, 65534, 65534);
		writeIndex(jobsDir, {jobs: {mine, theirs}});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [mine], error: null});

		// The index's owner decides: owned by 65534, only 65534's directory counts.
		fs.chownSync(path.join(jobsDir, 'jobs_index.json'), 65534, 65534);
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [theirs], error: null});
	});

	it.runIf(isRoot)("a link counts by its target's owner", async () => {
		const jobsDir = makeTempDir();
		const elsewhere = makeTempDir();
		const theirs = makeDir(elsewhere, 'theirs');
		fs.chownSync(theirs, 65534, 65534);
		fs.symlinkSync(theirs, path.join(elsewhere, 'link'));
		writeIndex(jobsDir, {jobs: {link: path.join(elsewhere, 'link')}});
		expect(await readJobsIndex(jobsDir)).toEqual({dirs: [], error: null});
	});

	it.each([
		['not JSON', '{"jobs": {', /^jobs_index\.json is not JSON/],
		['empty', '', /^jobs_index\.json is not JSON/],
		['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /^jobs_index\.json is not UTF-8 text$/],
		['an array', '[]', /^jobs_index\.json is not a JSON object$/],
		['jobs as an array', '{"jobs": ["/tmp"]}', /^jobs_index\.json has a "jobs" that is not an object$/],
		['jobs as a string', '{"jobs": "/tmp"}', /"jobs" that is not an object/],
	])('a bad index (%s) is an error line', async (_name, text, reason) => {
		const jobsDir = makeTempDir();
		writeIndex(jobsDir, text);
		const result = await readJobsIndex(jobsDir);
		expect(result.dirs).toEqual([]);
		expect(result.error).toMatch(reason);
	});

	it('refuses an index over 1 MiB, a directory, and a link', async () => {
		const big = makeTempDir();
		writeIndex(big, `{"jobs": {}}${' '.repeat(2 ** 20)}`);
		expect((await readJobsIndex(big)).error).toMatch(/^jobs_index\.json is over 1 MiB/);

		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'jobs_index.json'));
		expect((await readJobsIndex(dir)).error).toMatch(/^jobs_index\.json is not a regular file$/);

		const linked = makeTempDir();
		const target = path.join(makeTempDir(), 'index.json');
		fs.writeFileSync(target, JSON.stringify({jobs: {}}));
		fs.symlinkSync(target, path.join(linked, 'jobs_index.json'));
		expect((await readJobsIndex(linked)).error).toMatch(/^jobs_index\.json is a symbolic link$/);
	});
});
