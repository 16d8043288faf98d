// Issue 14, "one bad entry blinds the sentinel for every job": a link loop at the top of the jobs
// directory and a job folder with mode 000, under a sentinel run as nobody (root reads any folder).
// Each is one invalid job with its reason; the others are watched and acted on as usual, and the
// faults are not said again on every tick.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHeadlessAs} from '../helpers/headless-as.js';
import {startSleeper, writeLinkLoop, writeSilentJob} from '../helpers/job-faults.js';
import {asNobody, giveToNobody, isRoot, nobodyHome, runCliAsNobody} from '../helpers/nobody.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const stackLine = /^\s+at /m;

type StatusJob = {job_id: string; dir: string; valid: boolean; error: string | null; severity: string | null};

/** A nobody-owned jobs directory: a link loop `x`, a folder `walled` of mode 000, and a quiet job. */
function blindingDir(): string {
	const jobsDir = makeTempDir('sentinel-unreadable-');
	writeLinkLoop(jobsDir, 'x');
	writeJob(jobsDir, 'walled', {job_id: 'walled', status: 'RUNNING'});
	writeJob(jobsDir, 'quiet', {job_id: 'quiet', status: 'PENDING'});
	giveToNobody(jobsDir);
	fs.chmodSync(path.join(jobsDir, 'walled'), 0o000);
	return jobsDir;
}

describe.skipIf(!isRoot)('a link loop and a folder of mode 000, under a sentinel run as nobody', () => {
	it('the test itself: nobody cannot read the 000 folder, and x is a loop', () => {
		const jobsDir = blindingDir();
		const probe = spawnSync(asNobody[0]!, [...asNobody.slice(1), 'ls', path.join(jobsDir, 'walled')], {encoding: 'utf8'});
		expect(probe.status).not.toBe(0);
		expect(probe.stderr).toMatch(/Permission denied/);
		expect(() => fs.statSync(path.join(jobsDir, 'x'))).toThrow(/ELOOP/);
	});

	it('status lists both as invalid jobs with their reasons and exits 1, without a trace; --json too', async () => {
		const jobsDir = blindingDir();
		const home = nobodyHome();
		const [table, json] = await Promise.all([runCliAsNobody(['status', jobsDir], home), runCliAsNobody(['status', '--json', jobsDir], home)]);
		for (const [name, result] of Object.entries({table, json})) {
			expect(result.code, `${name}: ${result.stderr}`).toBe(1);
			expect(`${result.stdout}${result.stderr}`, name).not.toMatch(stackLine);
		}
		const document = JSON.parse(json.stdout) as {jobs: StatusJob[]};
		const byId = new Map(document.jobs.map(job => [job.job_id, job]));
		expect([...byId.keys()].sort()).toEqual(['quiet', 'walled', 'x']);
		expect(byId.get('x')).toMatchObject({dir: path.join(jobsDir, 'x'), valid: false, error: expect.stringMatching(/^a link loop/)});
		expect(byId.get('walled')).toMatchObject({dir: path.join(jobsDir, 'walled'), valid: false, error: expect.stringMatching(/permission denied/)});
		expect(byId.get('quiet')).toMatchObject({valid: true, severity: 'ok'});

		const rows = table.stdout.split('\n');
		expect(rows.find(row => row.startsWith('│ x ')), table.stdout).toMatch(/INVALID.*a link loop/);
		expect(rows.find(row => row.startsWith('│ walled ')), table.stdout).toMatch(/INVALID.*permission denied/);
		expect(rows.find(row => row.startsWith('│ quiet ')), table.stdout).toMatch(/PENDING/);
	});

	it('--headless as nobody recovers a hung sibling, and says the faults a bounded number of times', {timeout: 60_000}, async () => {
		const jobsDir = blindingDir();
		const pid = await startSleeper({asNobody: true});
		const hungDir = writeSilentJob(jobsDir, 'hung', pid);
		giveToNobody(hungDir);
		const sentinel = startHeadlessAs(asNobody, jobsDir, ['--worker-timeout', '3s', '--interval', '250ms', '--grace', '1s'], nobodyHome());

		for (const [jobId, reason] of [['x', /^a link loop/], ['walled', /permission denied/]] as const) {
			const line = await sentinel.waitForLine(`job.invalid for ${jobId}`, line => line.type === 'job.invalid' && line['job_id'] === jobId);
			expect(line['error']).toMatch(reason);
		}
		const result = await sentinel.waitForLine('the hung job recovered', line => line.type === 'intervention' && line['job_id'] === 'hung' && line['result'] !== 'started');
		expect(result, JSON.stringify(result)).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [pid]}});
		expect(await waitFor(() => !isAlive(pid), 5000), `sleep ${pid} stopped`).toBe(true);
		expect((JSON.parse(fs.readFileSync(path.join(hungDir, 'job_manifest.json'), 'utf8')) as {status: string}).status).toBe('PENDING');

		// Ticks go on: a job written now is found and, 1.5 s (six ticks) later, assessed low.
		writeJob(jobsDir, 'late', {job_id: 'late', status: 'RUNNING', last_activity: new Date().toISOString()});
		giveToNobody(path.join(jobsDir, 'late'));
		await sentinel.waitForLine('the late job assessed', line => line.type === 'assessment' && line['job_id'] === 'late' && line['severity'] === 'low');

		const errors = sentinel.lines.filter(line => line.type === 'error');
		expect(errors.length, JSON.stringify(errors.slice(0, 12), null, 1)).toBeLessThan(10);
		expect(sentinel.lines.filter(line => line.type === 'job.invalid').length).toBe(2);
		const {code, signal} = await sentinel.stop();
		expect({code, signal, stderr: sentinel.stderr()}).toEqual({code: 0, signal: null, stderr: ''});
		expect(sentinel.lines.filter(line => line.type === 'unparsed')).toEqual([]);
	});
});
