// The inotify watches run out (SPEC section 9's robustness: a watch that cannot be set): the
// built sentinel, in a user namespace of its own whose max_inotify_watches is lower than the
// folders it watches, says once that it polls instead, and still sees what changes.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

/** A command prefix running the rest in a new user namespace allowed `watches` inotify watches. */
const withWatches = (watches: number) => ['unshare', '--user', '--map-root-user', 'sh', '-c', `echo ${watches} > /proc/sys/user/max_inotify_watches && exec "$@"`, 'sh'];
const canLimit = spawnSync(withWatches(1)[0]!, [...withWatches(1).slice(1), 'true']).status === 0;

describe.skipIf(!canLimit)('inotify watches exhausted', () => {
	it('polls instead, says so once, and still sees a manifest change', {timeout: 30_000}, async () => {
		const jobsDir = makeTempDir('sentinel-watch-limits-');
		// The jobs directory and three job folders: four watches, two allowed.
		for (const name of ['a', 'b', 'c']) writeJob(jobsDir, name, {job_id: name, status: 'PENDING'});
		const sentinel = startSentinel(jobsDir, ['--interval', '300ms'], {prefix: withWatches(2)});
		const notice = await sentinel.waitForLine(line => line.type === 'error' && /file watches unavailable/.test(String(line['error'])), 15_000);
		expect(notice['error']).toMatch(/^file watches unavailable \(ENOSPC\): polling every 300 ms instead$/);

		fs.writeFileSync(path.join(jobsDir, 'b', 'job_manifest.json'), '{"job_id": "b", "status": ');
		await sentinel.waitForLine(line => line.type === 'job.invalid' && line['job_id'] === 'b', 15_000);
		expect(sentinel.lines.filter(line => line.type === 'error')).toEqual([notice]);
	});
});
