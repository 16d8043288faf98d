import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createInterventions} from '../../../source/sentinel/act/intervention-runner.js';
import {descendantsOf, readProcess, readRealUid, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import type {ManualTarget, Snapshot} from '../../../source/sentinel/snapshot.js';
import type {AuditEntry} from '../../../source/types.js';
import {confirmationFor} from '../../../source/sentinel/act/manual-action.js';
import {startTestEngine} from '../../helpers/engine.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {readAudit} from '../../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

type Manifest = Record<string, any>;

const acting = {interventions: createInterventions};
const isRoot = process.getuid?.() === 0;
const hourMs = 3_600_000;

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

function manifestOf(dir: string): Manifest {
	return JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8')) as Manifest;
}

function entriesOf(jobsDir: string, jobId: string): AuditEntry[] {
	return readAudit(jobsDir).filter(entry => entry.job_id === jobId);
}

/** The result entry (anything but `started`) of the job's recover or terminate, once there is one. */
function actionResult(jobsDir: string, jobId: string): AuditEntry | undefined {
	return entriesOf(jobsDir, jobId).find(entry => entry.action !== 'notify' && entry.result !== 'started');
}

// Waits are generous (two cores shared with the rest of the suite); speed is the benchmarks' business.
async function waitForResult(jobsDir: string, jobId: string, timeoutMs = 20_000): Promise<AuditEntry> {
	expect(await waitFor(() => actionResult(jobsDir, jobId) !== undefined, timeoutMs), `an action result for ${jobId}`).toBe(true);
	return actionResult(jobsDir, jobId)!;
}

function startTimeOf(pid: number): number {
	return readProcess(pid)!.startTimeMs;
}

/** Make the manifest (and so the job) look silent since `at`. */
function silentSince(dir: string, at: Date): void {
	fs.utimesSync(path.join(dir, 'job_manifest.json'), at, at);
}

function stateJson(jobsDir: string): {interventions: Array<{job_id: string; action: string; action_id?: string}>} {
	const file = path.join(jobsDir, '.sentinel', 'state.json');
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {interventions: []};
}

const sorted = (pids: readonly number[]) => [...pids].sort((a, b) => a - b);

/** The job and process an operator's confirmation captures, as the dashboard captures them. */
function confirmedTarget(engine: {getSnapshot: () => Snapshot}, jobId: string, action: 'recover' | 'terminate'): ManualTarget {
	const view = engine.getSnapshot().jobs.find(job => job.job.jobId === jobId)!;
	const confirmation = confirmationFor(action, view);
	if ('refused' in confirmation) throw new Error(confirmation.refused);
	return confirmation.target;
}

describe('automatic interventions, in process', () => {
	it('notifies at medium, then recovers at high: PENDING with its history entry, process dead, one backup, started then ok', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		let diedAt = Number.NaN;
		sleeper.once('exit', () => (diedAt = Date.now()));
		const dir = writeJob(jobsDir, 'silent', {job_id: 'silent', status: 'RUNNING', pid: sleeper.pid, objective: 'kept as it was'});
		const original = fs.readFileSync(path.join(dir, 'job_manifest.json'));
		const wroteAt = fs.statSync(path.join(dir, 'job_manifest.json')).mtimeMs;
		const {interventions} = await startTestEngine(jobsDir, {workerTimeout: '2s', criticalTimeout: '6s', grace: '1s'}, acting);

		const result = await waitForResult(jobsDir, 'silent');
		const entries = entriesOf(jobsDir, 'silent');
		expect(entries.map(entry => [entry.action, entry.result, entry.severity])).toEqual([
			['notify', 'ok', 'medium'],
			['recover', 'started', 'high'],
			['recover', 'ok', 'high'],
		]);
		const [notify, started] = entries;
		expect(Date.parse(notify!.ts) - wroteAt).toBeGreaterThanOrEqual(1500);
		expect(Date.parse(started!.ts) - wroteAt).toBeGreaterThanOrEqual(2000);
		// Late by a few intervals at most: well before critical (6 s) would act instead.
		expect(Date.parse(started!.ts) - wroteAt).toBeLessThan(4500);
		expect(result.action_id).toBe(started!.action_id);
		expect(result.pids).toEqual({signalled: [sleeper.pid], killed: []});
		expect(result).toMatchObject({actor: 'auto', previous_status: 'RUNNING', new_status: 'PENDING'});
		expect(interventions.map(event => event.args[0].entry.action_id)).toContain(result.action_id);

		const manifest = manifestOf(dir);
		expect(manifest).toMatchObject({status: 'PENDING', objective: 'kept as it was', pid: sleeper.pid});
		expect(manifest['history']).toHaveLength(1);
		const history = manifest['history'][0] as Manifest;
		expect(history).toMatchObject({event: 'SENTINEL_RECOVERY', severity: 'high', previous_status: 'RUNNING', new_status: 'PENDING'});
		expect(history['reason']).toMatch(/high/);
		expect(Date.parse(history['timestamp'])).toBeGreaterThanOrEqual(wroteAt);

		expect(await waitFor(() => !Number.isNaN(diedAt), 10_000), 'the process died').toBe(true);
		// The new status is on disk before the process is stopped, so a wrapper reads it when its command dies.
		expect(fs.statSync(path.join(dir, 'job_manifest.json')).mtimeMs).toBeLessThanOrEqual(diedAt);
		const backups = fs.readdirSync(path.join(dir, '.backups'));
		expect(backups).toHaveLength(1);
		expect(backups[0]).toMatch(/^job_manifest_\d{8}_\d{6}\.json\.backup$/);
		expect(fs.readFileSync(path.join(dir, '.backups', backups[0]!))).toEqual(original);
		expect(stateJson(jobsDir).interventions).toMatchObject([{job_id: 'silent', action: 'recover', action_id: result.action_id}]);
	});

	it('terminates a job first seen at critical, without recovering or notifying it first', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		const longAgo = new Date(Date.now() - 2 * hourMs);
		const dir = writeJob(jobsDir, 'stale', {
			job_id: 'stale',
			status: 'RUNNING',
			pid: sleeper.pid,
			// The manifest looks two hours old, so only process_start can vouch for a process started now.
			process_start: new Date(startTimeOf(sleeper.pid!)).toISOString(),
			last_activity: longAgo.toISOString(),
		});
		silentSince(dir, longAgo);
		await startTestEngine(jobsDir, {workerTimeout: '2s', criticalTimeout: '6s', grace: '1s'}, acting);

		const result = await waitForResult(jobsDir, 'stale');
		expect(entriesOf(jobsDir, 'stale').map(entry => [entry.action, entry.result, entry.severity])).toEqual([
			['terminate', 'started', 'critical'],
			['terminate', 'ok', 'critical'],
		]);
		expect(result.pids.signalled).toEqual([sleeper.pid]);
		const manifest = manifestOf(dir);
		expect(manifest['status']).toBe('INTERVENTION_REQUIRED');
		expect(manifest['history']).toMatchObject([{event: 'SENTINEL_INTERVENTION', severity: 'critical', previous_status: 'RUNNING', new_status: 'INTERVENTION_REQUIRED'}]);
		expect(await waitFor(() => !running(sleeper.pid!), 10_000)).toBe(true);
	});

	it('gives a job that names no pid the status change alone, and says why no signal was sent', async () => {
		const jobsDir = makeTempDir();
		const dir = writeJob(jobsDir, 'pidless', {job_id: 'pidless', status: 'EXECUTING'});
		await startTestEngine(jobsDir, {workerTimeout: '1s', criticalTimeout: '6s', grace: '1s'}, acting);

		const result = await waitForResult(jobsDir, 'pidless');
		expect(result).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [], killed: []}, new_status: 'PENDING'});
		expect(result.reason).toMatch(/names no pid.*no signal/);
		expect(manifestOf(dir)).toMatchObject({status: 'PENDING', history: [{event: 'SENTINEL_RECOVERY', previous_status: 'EXECUTING'}]});
	});

	it('kills every process of a 20-process tree that ignores SIGTERM once the grace is over, and names them', async () => {
		const jobsDir = makeTempDir();
		// SIG_IGN survives fork and exec, so every sleep ignores SIGTERM too.
		const root = startProcess('bash', ['-c', 'trap "" TERM; for i in $(seq 19); do sleep 30 & done; wait']);
		let tree: number[] = [];
		const grown = await waitFor(() => {
			const table = scanProcesses();
			const sleeps = descendantsOf(table, root.pid!).filter(info => info.name === 'sleep');
			tree = sorted([root.pid!, ...sleeps.map(info => info.pid)]);
			return tree.length === 20;
		});
		expect(grown, 'a tree of 20').toBe(true);
		writeJob(jobsDir, 'stubborn', {job_id: 'stubborn', status: 'RUNNING', pid: root.pid});
		await startTestEngine(jobsDir, {workerTimeout: '1s', criticalTimeout: '6s', grace: '500ms'}, acting);

		const result = await waitForResult(jobsDir, 'stubborn');
		expect(result.result).toBe('ok');
		expect(sorted(result.pids.signalled)).toEqual(tree);
		expect(sorted(result.pids.killed)).toEqual(tree);
		expect(result['stop_ms']).toBeGreaterThanOrEqual(500);
		expect(result.reason).toMatch(/20 needed SIGKILL/);
		expect(tree.filter(pid => running(pid))).toEqual([]);
	});

	it('never signals a live process that is not the job\'s (process_start an hour off): status change alone, process lost', async () => {
		const jobsDir = makeTempDir();
		const stranger = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'reused', {
			job_id: 'reused',
			status: 'RUNNING',
			pid: stranger.pid,
			process_start: new Date(startTimeOf(stranger.pid!) - hourMs).toISOString(),
			last_activity: new Date().toISOString(),
		});
		await startTestEngine(jobsDir, {workerTimeout: '30m', grace: '500ms'}, acting);

		const result = await waitForResult(jobsDir, 'reused');
		expect(result).toMatchObject({action: 'recover', severity: 'high', result: 'ok', pids: {signalled: [], killed: []}});
		expect(result.reason).toMatch(/process lost \(pid \d+ started at .*not at process_start/);
		expect(result.reason).toMatch(/no signal/);
		expect(manifestOf(dir)['status']).toBe('PENDING');
		await new Promise(resolve => setTimeout(resolve, 700));
		expect(running(stranger.pid!)).toBe(true);
	});

	it.skipIf(!isRoot)('never signals a process of another user than the manifest\'s owner (needs root to run one as nobody)', async () => {
		const jobsDir = makeTempDir();
		const stranger = startProcess('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sleep', '60']);
		const nobody = Number(spawnSync('id', ['-u', 'nobody'], {encoding: 'utf8'}).stdout.trim());
		expect(await waitFor(() => readRealUid(stranger.pid!) === nobody && readProcess(stranger.pid!)?.name === 'sleep', 3000)).toBe(true);
		const dir = writeJob(jobsDir, 'foreign', {job_id: 'foreign', status: 'RUNNING', pid: stranger.pid, last_activity: new Date().toISOString()});
		expect(fs.statSync(path.join(dir, 'job_manifest.json')).uid).toBe(0);
		await startTestEngine(jobsDir, {workerTimeout: '30m', grace: '500ms'}, acting);

		const result = await waitForResult(jobsDir, 'foreign');
		expect(result).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [], killed: []}});
		expect(result.reason).toMatch(new RegExp(`process lost \\(pid ${stranger.pid} belongs to uid ${nobody}.*no signal`));
		await new Promise(resolve => setTimeout(resolve, 700));
		expect(running(stranger.pid!)).toBe(true);
	});

	it('writes nothing and signals nothing while another process holds the job lock, then acts once it is free', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'locked', {job_id: 'locked', status: 'RUNNING', pid: sleeper.pid});
		const manifestFile = path.join(dir, 'job_manifest.json');
		const lockFile = path.join(dir, '.lock');
		const holder = startProcess('flock', ['-x', lockFile, 'sleep', '30']);
		const held = () => spawnSync('flock', ['-n', lockFile, 'true']).status === 1;
		expect(await waitFor(held, 3000), 'the lock is held').toBe(true);
		const before = fs.readFileSync(manifestFile);
		const {errors} = await startTestEngine(jobsDir, {workerTimeout: '1s', criticalTimeout: '30s', grace: '500ms'}, acting);

		const refusals = () => errors.filter(event => /lock is held elsewhere/.test(event.args[0].message)).length;
		expect(await waitFor(() => refusals() >= 3, 15_000), 'retried on several ticks').toBe(true);
		expect(fs.readFileSync(manifestFile)).toEqual(before);
		expect(running(sleeper.pid!)).toBe(true);
		expect(entriesOf(jobsDir, 'locked').filter(entry => entry.action !== 'notify')).toEqual([]);
		expect(fs.existsSync(path.join(dir, '.backups'))).toBe(false);

		process.kill(-holder.pid!, 'SIGKILL');
		const result = await waitForResult(jobsDir, 'locked');
		expect(result).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [sleeper.pid]}});
		expect(manifestOf(dir)['status']).toBe('PENDING');
		expect(await waitFor(() => !running(sleeper.pid!), 10_000)).toBe(true);
	});

	it('records with --dry-run what the hourly limit would have held back', async () => {
		const jobsDir = makeTempDir();
		const first = startProcess('sleep', ['60']);
		const second = startProcess('sleep', ['60']);
		writeJob(jobsDir, 'first', {job_id: 'first', status: 'RUNNING', pid: first.pid});
		writeJob(jobsDir, 'second', {job_id: 'second', status: 'RUNNING', pid: second.pid});
		await startTestEngine(jobsDir, {workerTimeout: '1s', criticalTimeout: '30s', dryRun: true, maxInterventions: '1'}, acting);

		const heldBack = () => readAudit(jobsDir).filter(entry => entry.action === 'recover' && entry.result === 'skipped');
		expect(await waitFor(() => heldBack().length === 1, 15_000)).toBe(true);
		await new Promise(resolve => setTimeout(resolve, 500));
		const recovers = readAudit(jobsDir).filter(entry => entry.action === 'recover');
		expect(recovers.map(entry => entry.result).sort()).toEqual(['dry-run', 'skipped']);
		expect(heldBack()[0]!.reason).toMatch(/^limit/);
		expect(running(first.pid!) && running(second.pid!)).toBe(true);
		expect(stateJson(jobsDir).interventions).toEqual([]);
	});
});

describe('manual actions, in process', () => {
	it('terminates on the operator\'s word with actor user, and does not count it against the hourly limit', async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'healthy', {job_id: 'healthy', status: 'RUNNING', pid: sleeper.pid});
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '30m', grace: '500ms'}, acting);
		const view = engine.getSnapshot().jobs.find(job => job.job.jobId === 'healthy')!;
		expect(view.severity).toBe('ok');

		const target = confirmedTarget(engine, 'healthy', 'terminate');
		expect(target).toMatchObject({dir, pid: sleeper.pid});
		const entry = await engine.act('terminate', target);
		expect(entry, entry.reason).toMatchObject({action: 'terminate', actor: 'user', result: 'ok', pids: {signalled: [sleeper.pid]}});
		expect(entriesOf(jobsDir, 'healthy').map(item => [item.actor, item.result])).toEqual([
			['user', 'started'],
			['user', 'ok'],
		]);
		expect(manifestOf(dir)).toMatchObject({status: 'INTERVENTION_REQUIRED', history: [{event: 'SENTINEL_INTERVENTION'}]});
		expect(await waitFor(() => !running(sleeper.pid!), 10_000)).toBe(true);
		await engine.stop();
		expect(stateJson(jobsDir).interventions).toEqual([]);
		expect(engine.interventions!.interventionsLastHour(Date.now())).toBe(0);
	});

	it('refuses, with a failed entry and no signal, a target whose process is no longer the manifest\'s', async () => {
		const jobsDir = makeTempDir();
		const before = startProcess('sleep', ['60']);
		const after = startProcess('sleep', ['60']);
		const dir = writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: before.pid});
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '30m', grace: '500ms'}, acting);
		const confirmed = confirmedTarget(engine, 'restarted', 'recover');
		expect(confirmed.pid).toBe(before.pid);
		// The job restarts while the confirmation is open.
		writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: after.pid});
		const seen = () => engine.getSnapshot().jobs.find(job => job.job.jobId === 'restarted')?.job;
		expect(await waitFor(() => {
			const job = seen();
			return job?.valid === true && job.pid === after.pid;
		}, 10_000)).toBe(true);
		const manifest = fs.readFileSync(path.join(dir, 'job_manifest.json'));

		const entry = await engine.act('recover', confirmed);
		expect(entry).toMatchObject({action: 'recover', actor: 'user', result: 'failed', pids: {signalled: [], killed: []}});
		expect(entry.reason).toMatch(/changed/);
		expect(entriesOf(jobsDir, 'restarted').map(item => item.result)).toEqual(['failed']);
		expect(fs.readFileSync(path.join(dir, 'job_manifest.json'))).toEqual(manifest);
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(running(before.pid!) && running(after.pid!)).toBe(true);
	});
});
