// An output file the sentinel may not read (mode 000, another user's), under a sentinel run as
// nobody (root reads any file): said once, its writes counted unread, and monitoring goes on.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHeadlessAs} from '../../helpers/headless-as.js';
import {asNobody, giveToNobody, isRoot, nobodyHome} from '../../helpers/nobody.js';
import {startNode} from '../../helpers/processes.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

describe.skipIf(!isRoot)('an output file of mode 000, under a sentinel run as nobody', () => {
	it('is said once; its writes count as activity, unread; the other jobs are judged as ever', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-walled-output-');
		const walled = writeJob(jobsDir, 'walled', {job_id: 'walled', status: 'RUNNING'});
		writeJob(jobsDir, 'quiet', {job_id: 'quiet', status: 'RUNNING'});
		fs.mkdirSync(path.join(walled, 'logs'));
		const log = path.join(walled, 'logs', 'output.log');
		fs.writeFileSync(log, '');
		giveToNobody(jobsDir);
		fs.chownSync(log, 0, 0);
		fs.chmodSync(log, 0o000);
		// The test itself: nobody cannot read it.
		expect(spawnSync(asNobody[0]!, [...asNobody.slice(1), 'cat', log], {encoding: 'utf8'}).stderr).toMatch(/Permission denied/);
		// The same line again and again: read, it would be a loop; unread, its writes are all there is to go on.
		startNode(`setInterval(() => require('fs').appendFileSync(${JSON.stringify(log)}, 'the same line\\n'), 200)`);
		const sentinel = startHeadlessAs(asNobody, jobsDir, ['--worker-timeout', '4s', '--interval', '250ms', '--no-auto'], nobodyHome());
		// Its silent neighbour says when silence alone makes a job medium.
		await sentinel.waitForLine('quiet at medium', line => line.type === 'assessment' && line['job_id'] === 'quiet' && line['severity'] === 'medium');
		const said = sentinel.lines.filter(line => line.type === 'error' && String(line['error']).includes('output.log'));
		expect(said.map(line => [line['job_id'], line['error']])).toEqual([['walled', 'walled: logs/output.log cannot be read (EACCES): its writes count as activity']]);
		const walledSeverities = sentinel.lines.filter(line => line.type === 'assessment' && line['job_id'] === 'walled').map(line => line['severity']);
		expect(new Set(walledSeverities)).toEqual(new Set(['ok']));
		expect(sentinel.lines.some(line => line.type === 'sentinel.stopped')).toBe(false);
	});
});
