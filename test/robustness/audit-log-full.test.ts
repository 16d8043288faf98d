// Issue 14, failing closed: with the audit log on a full disk the sentinel said "could not write
// the audit log" and still signalled the process. SPEC section 5: a `started` entry is flushed
// before the first write or signal of an action; when it cannot be, nothing is written or
// signalled, the failure is said, and the action is tried again (with backoff) until it can be.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {AuditLog} from '../../source/sentinel/act/audit-log.js';
import {startSleeper, writeSilentJob} from '../helpers/job-faults.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {startSentinel, type SentinelLine} from '../helpers/sentinel-process.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {fillUp, mountTmpfs} from '../helpers/tmpfs.js';

describe('the audit log on a full disk', () => {
	it('a recover whose started entry cannot be flushed does nothing at all, says so, and happens once space is freed', {timeout: 60_000}, async ({skip}) => {
		const mount = mountTmpfs('128k');
		if ('problem' in mount) {
			console.warn(`audit-log-full test skipped: it mounts a tmpfs (${mount.problem})`);
			return skip(`cannot mount a tmpfs: ${mount.problem}`);
		}
		const auditFile = path.join(mount.dir, 'audit.jsonl');
		const filler = path.join(mount.dir, 'filler.bin');
		fillUp(filler);
		expect(() => fs.writeFileSync(path.join(mount.dir, 'probe'), 'x'.repeat(8192))).toThrow(/ENOSPC/);
		fs.rmSync(path.join(mount.dir, 'probe'), {force: true});

		const jobsDir = makeTempDir('sentinel-audit-full-');
		const pid = await startSleeper();
		const jobDir = writeSilentJob(jobsDir, 'stuck', pid);
		const manifestPath = path.join(jobDir, 'job_manifest.json');
		const before = fs.readFileSync(manifestPath);
		const sentinel = startSentinel(jobsDir, ['--audit-log', auditFile, '--worker-timeout', '1m', '--interval', '250ms', '--grace', '1s']);

		const notBegun = (line: SentinelLine) => line.type === 'error' && line['job_id'] === 'stuck' && /recover not begun: its audit entry could not be written .*no space left.*nothing written or signalled/i.test(String(line['error']));
		await sentinel.waitForLine(notBegun, 20_000);
		// Tried again while the disk stays full, less and less often (one interval, doubling), never every tick.
		expect(await waitFor(() => sentinel.lines.filter(notBegun).length >= 3, 20_000), 'three attempts').toBe(true);
		const [first, second, third] = sentinel.lines.filter(notBegun).map(line => Date.parse(line.ts));
		expect(second! - first!, 'the first wait: one interval doubled').toBeGreaterThanOrEqual(450);
		expect(third! - second!, 'the second wait: doubled again').toBeGreaterThanOrEqual(950);
		expect(sentinel.lines.some(line => line.type === 'error' && /could not write the audit log .*audit\.jsonl/.test(String(line['error'])))).toBe(true);

		// Nothing was done: the manifest byte for byte, no backup, no lock left held, the process alive, nothing in the log.
		expect(fs.readFileSync(manifestPath).equals(before), 'manifest unchanged').toBe(true);
		expect(fs.existsSync(path.join(jobDir, '.backups')), '.backups/').toBe(false);
		expect(fs.readdirSync(jobDir).filter(name => name.startsWith('.sentinel-tmp-'))).toEqual([]);
		expect(isAlive(pid), 'the job process').toBe(true);
		expect(sentinel.lines.filter(line => line.type === 'intervention')).toEqual([]);
		expect(new AuditLog(auditFile).readAll()).toEqual([]);
		// Space again: the recover happens, started then its result, in the log and on stdout.
		fs.rmSync(filler);
		const result = await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'stuck' && line['result'] !== 'started', 20_000);
		expect(result, JSON.stringify(result)).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [pid]}});
		const entries = new AuditLog(auditFile).readAll().filter(entry => entry.job_id === 'stuck');
		expect(entries.map(entry => [entry.action, entry.result])).toEqual([
			['recover', 'started'],
			['recover', 'ok'],
		]);
		expect(entries[0]!.action_id).toBe(entries[1]!.action_id);
		expect(await waitFor(() => !isAlive(pid), 5000), 'the job process stopped').toBe(true);
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {status: string; history: Array<{event: string}>};
		expect(manifest.status).toBe('PENDING');
		expect(manifest.history.map(entry => entry.event)).toEqual(['SENTINEL_RECOVERY']);
		const backups = fs.readdirSync(path.join(jobDir, '.backups'));
		expect(backups).toHaveLength(1);
		expect(fs.readFileSync(path.join(jobDir, '.backups', backups[0]!)).equals(before)).toBe(true);
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
	});
});
