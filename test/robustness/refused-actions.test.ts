// Issue 14, failing safe: two actions the sentinel must refuse, and say why.
// - A `.lock` that is a link to a file outside the jobs directory: the target was untouched, but
//   the job errored every tick, unaudited, and was never stopped (a job could make itself immune).
//   SPEC section 5: audited `failed` with the reason, said, retried with backoff (one interval,
//   doubling), never every tick, and never through the link.
// - A manifest naming the sentinel's own pid: refused, but audited as "1 processes survived
//   SIGKILL" though nothing was signalled. The reason must say what was refused and why.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fileFacts, linkLockOutside, processStart, startSleeper, tenMinutesMs, writeSilentJob, age} from '../helpers/job-faults.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {readAudit, startSentinel, type SentinelLine} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

describe('a .lock that is a link to a file outside the jobs directory', () => {
	it('is never followed: the target untouched, the process not signalled, the failure audited, backed off and said', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-lock-link-');
		const outside = makeTempDir('sentinel-outside-');
		const pid = await startSleeper();
		// Silent from now: notify at 1.5 s, recover at 2 s.
		const jobDir = writeSilentJob(jobsDir, 'linked', pid, {}, 0);
		const target = linkLockOutside(jobDir, outside);
		const targetBefore = fileFacts(target);
		const manifestBefore = fs.readFileSync(path.join(jobDir, 'job_manifest.json'));
		const sentinel = startSentinel(jobsDir, ['--worker-timeout', '2s', '--interval', '250ms', '--grace', '1s']);

		const failed = (line: SentinelLine) => line.type === 'intervention' && line['job_id'] === 'linked' && line['result'] === 'failed';
		const first = await sentinel.waitForLine(failed, 20_000);
		// Watch six seconds (24 ticks) from the first failure: retries come one interval after it, doubling.
		const watchUntil = Date.parse(first.ts) + 6000;
		await waitFor(() => Date.now() >= watchUntil, 10_000, 100);

		const entries = readAudit(jobsDir).filter(entry => entry.job_id === 'linked' && entry.action !== 'notify');
		const failures = entries.filter(entry => entry.result === 'failed');
		const story = entries.map(entry => `${entry.ts} ${entry.action} ${entry.result} ${entry.reason}`).join('\n');
		expect(failures.length, story).toBeGreaterThanOrEqual(2);
		expect(failures.filter(entry => Date.parse(entry.ts) <= watchUntil).length, story).toBeLessThanOrEqual(6);
		for (const entry of failures) {
			expect(entry.action).toBe('recover');
			expect(entry.reason).toContain(path.join(jobDir, '.lock'));
			expect(entry.pids).toEqual({signalled: [], killed: []});
		}
		const times = failures.map(entry => Date.parse(entry.ts));
		expect(times[1]! - times[0]!, story).toBeGreaterThanOrEqual(450);
		// Nothing begun, so nothing to finish: no `started` entry, no hourly limit used.
		expect(entries.filter(entry => entry.result === 'started'), story).toEqual([]);

		expect(isAlive(pid), 'the job process').toBe(true);
		expect(fileFacts(target)).toBe(targetBefore);
		expect(fs.readlinkSync(path.join(jobDir, '.lock'))).toBe(target);
		expect(fs.readdirSync(outside)).toEqual(['precious.txt']);
		expect(fs.readFileSync(path.join(jobDir, 'job_manifest.json')).equals(manifestBefore), 'manifest unchanged').toBe(true);
		expect(fs.existsSync(path.join(jobDir, '.backups'))).toBe(false);

		// Said, not only audited: an error line naming the job and its lock (SPEC section 5: "said on screen").
		const said = sentinel.lines.filter(line => line.type === 'error' && (line['job_id'] === 'linked' || String(line['error']).includes('linked')));
		expect(said.some(line => /lock/.test(String(line['error']))), `error lines:\n${JSON.stringify(sentinel.lines.filter(line => line.type === 'error'))}`).toBe(true);
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
	});
});

describe('a manifest naming the sentinel\'s own pid', () => {
	it('is refused with the reason (the sentinel itself), never "survived SIGKILL"; the sentinel runs on', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-own-pid-');
		const sentinel = startSentinel(jobsDir, ['--worker-timeout', '2s', '--interval', '250ms', '--grace', '1s']);
		await sentinel.waitForLine(line => line.type === 'sentinel.started');
		// Its process_start is the sentinel's own: the identity checks pass, only the self check is left to refuse.
		const stamp = new Date(Date.now() - tenMinutesMs).toISOString();
		const dir = writeJob(jobsDir, 'self', {job_id: 'self', status: 'RUNNING', process_id: sentinel.pid, process_start: processStart(sentinel.pid), last_activity: stamp});
		age(path.join(dir, 'job_manifest.json'), tenMinutesMs);

		// The stop's result: a notify may come first when the manifest was seen before it was aged.
		const result = await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'self' && line['action'] !== 'notify' && line['result'] !== 'started', 20_000);
		const entry = readAudit(jobsDir).find(item => item.job_id === 'self' && item.action_id === result['action_id'] && item.result !== 'started')!;
		expect(entry, JSON.stringify(result)).toBeDefined();
		expect(entry.reason).toMatch(/refus/i);
		expect(entry.reason).toContain(String(sentinel.pid));
		expect(entry.reason).toMatch(/the sentinel itself/);
		expect(entry.reason).not.toMatch(/survived/);
		expect(entry.pids).toEqual({signalled: [], killed: []});

		// Still running and still watching: a job written now is added and assessed.
		expect(isAlive(sentinel.pid)).toBe(true);
		writeJob(jobsDir, 'after', {job_id: 'after', status: 'PENDING'});
		await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'after');
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
		expect(sentinel.lines.at(-1)?.type).toBe('sentinel.stopped');
	});
});
