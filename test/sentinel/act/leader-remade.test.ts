import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AuditEntry} from '../../../source/types.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {readAudit, startSentinel} from '../../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

const fast = ['--interval', '250ms', '--worker-timeout', '2s', '--critical-timeout', '60s', '--grace', '1s'];
const isAction = (entry: AuditEntry) => entry.action === 'recover' || entry.action === 'terminate';

function leaderPid(jobsDir: string): number | null {
	try {
		return (JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'leader.json'), 'utf8')) as {pid: number}).pid;
	} catch {
		return null;
	}
}

describe('two sentinels on a jobs directory deleted and made again', () => {
	it('keep one actor: the old leader lets go of the deleted lock, and the new job is notified and recovered once', async () => {
		const jobsDir = makeTempDir();
		const sentinels = [startSentinel(jobsDir, fast), startSentinel(jobsDir, fast)];
		expect(await waitFor(() => leaderPid(jobsDir) !== null, 10_000), 'one of them leads').toBe(true);

		fs.rmSync(jobsDir, {recursive: true});
		fs.mkdirSync(jobsDir);
		const sleeper = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'fresh', {job_id: 'fresh', status: 'RUNNING', pid: sleeper.pid});
		const results = () => readAudit(jobsDir).filter(entry => isAction(entry) && entry.result !== 'started');
		expect(await waitFor(() => results().length > 0, 15_000), 'the job is recovered').toBe(true);
		// Room for a second actor to show itself: the tiers are reached by both at the same ticks.
		await new Promise(resolve => setTimeout(resolve, 1500));

		const entries = readAudit(jobsDir);
		expect(new Set(entries.map(entry => entry.sentinel.pid)).size, 'entries from one sentinel').toBe(1);
		expect(entries.filter(entry => entry.action === 'notify')).toHaveLength(1);
		expect(entries.filter(entry => isAction(entry) && entry.result === 'started')).toHaveLength(1);
		expect(results()).toMatchObject([{action: 'recover', result: 'ok'}]);
		expect((JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8')) as {history: unknown[]}).history).toHaveLength(1);
		// The old leader said it let go, once.
		const said = sentinels.flatMap(sentinel => sentinel.lines).filter(line => line.type === 'error' && /no longer the lock/.test(String(line['error'])));
		expect(said).toHaveLength(1);
	});
});
