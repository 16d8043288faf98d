import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readManifest} from '../../../source/jobs/read-manifest.js';
import {takeActionLock} from '../../../source/sentinel/act/action-lock.js';
import {auditEntry} from '../../../source/sentinel/act/audit-entry.js';
import {AuditLog} from '../../../source/sentinel/act/audit-log.js';
import {carryOut, type ActionContext, type ActionRequest} from '../../../source/sentinel/act/carry-out.js';
import {finishStartedActions} from '../../../source/sentinel/act/finish-started.js';
import {newJobState} from '../../../source/sentinel/job-state.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

describe('a new leader finishing a `started` action', () => {
	it('writes no result of its own when the action\'s actor, alive after all, finishes it between the leader\'s look at the log and its taking the lock', async () => {
		const jobsDir = makeTempDir();
		const actionId = 'a-command-in-its-grace-period';
		// What a terminate command leaves while it waits out its grace period: the new status
		// written, its `started` entry logged, its action lock held.
		const dir = writeJob(jobsDir, 'slow-stop', {
			job_id: 'slow-stop',
			status: 'INTERVENTION_REQUIRED',
			history: [{event: 'SENTINEL_TERMINATE', action_id: actionId, previous_status: 'RUNNING', new_status: 'INTERVENTION_REQUIRED'}],
		});
		const audit = new AuditLog(path.join(jobsDir, '.sentinel', 'audit.jsonl'));
		const started = auditEntry({job_id: 'slow-stop', action: 'terminate', actor: 'user', severity: 'ok', evidence: [], action_id: actionId, result: 'started', reason: 'by the operator'});
		audit.append(started);
		const commandLock = await takeActionLock(dir);
		expect(commandLock).not.toBeNull();

		const context: ActionContext = {graceMs: 1000, dryRun: false, record: entry => audit.append(entry), count: () => {}, ownWrite: () => {}, now: () => Date.now()};
		let tries = 0;
		const executor = {
			async execute(request: ActionRequest) {
				tries++;
				// The command ends as the leader tries again: its result written, then its lock let go,
				// after the leader last looked for that result and before it takes the lock.
				if (tries === 2) {
					audit.append(auditEntry({...started, result: 'ok', reason: 'by the operator; stopped'}));
					commandLock!.release();
				}
				return carryOut(context, request);
			},
			countStarted: () => {},
		};
		const work: Array<Promise<unknown>> = [];
		finishStartedActions(executor, audit, [newJobState(await readManifest(dir, jobsDir))], (_dir, running) => work.push(running), 10);
		await Promise.all(work);

		expect(tries).toBe(2);
		expect(audit.readAll().map(entry => [entry.action_id, entry.result, entry.reason])).toEqual([
			[actionId, 'started', 'by the operator'],
			[actionId, 'ok', 'by the operator; stopped'],
		]);
	});

	it('lets go of the action lock when the look for the result under it fails (an audit log that cannot be read)', async () => {
		const jobsDir = makeTempDir();
		const actionId = 'an-actor-that-died-too';
		const dir = writeJob(jobsDir, 'unread', {job_id: 'unread', status: 'RUNNING'});
		const log = path.join(jobsDir, '.sentinel', 'audit.jsonl');
		const audit = new AuditLog(log);
		audit.append(auditEntry({job_id: 'unread', action: 'terminate', actor: 'user', severity: 'ok', evidence: [], action_id: actionId, result: 'started', reason: 'by the operator'}));
		const actorLock = await takeActionLock(dir);
		expect(actorLock).not.toBeNull();

		const context: ActionContext = {graceMs: 1000, dryRun: false, record: entry => audit.append(entry), count: () => {}, ownWrite: () => {}, now: () => Date.now()};
		let tries = 0;
		const executor = {
			async execute(request: ActionRequest) {
				// The actor's lock goes with it, and the log turns unreadable (a rotated file that is a folder).
				if (++tries === 2) {
					actorLock!.release();
					fs.mkdirSync(`${log}.1`);
				}
				return carryOut(context, request);
			},
			countStarted: () => {},
		};
		const work: Array<Promise<unknown>> = [];
		finishStartedActions(executor, audit, [newJobState(await readManifest(dir, jobsDir))], (_dir, running) => work.push(running), 10);
		await expect(Promise.all(work)).rejects.toThrow();

		// Whoever comes next (a command, this leader's next try) can take the job's action lock.
		const next = await takeActionLock(dir);
		expect(next).not.toBeNull();
		next!.release();
	});
});
