import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../source/types.js';
import {cliEnv, cliPath, finished, runCli, startCli} from '../helpers/cli.js';
import {catches, startNode, startProcess, waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

// `sentinel-tui terminate|recover|pause|resume JOB` from a script (no terminal: --yes), on real
// jobs with real processes, with no sentinel running: the command reads the jobs itself.

type Manifest = Record<string, any>;

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

function manifestOf(dir: string): Manifest {
	return JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8')) as Manifest;
}

function stateOf(jobsDir: string): {paused: string[]} {
	return JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'state.json'), 'utf8')) as {paused: string[]};
}

/** A jobs directory with one RUNNING worker in folder `folder` whose process is a real `sleep`. */
function sleepingJob(jobId: string, folder = jobId, fields: Manifest = {}) {
	const jobsDir = makeTempDir('sentinel-actions-');
	const pid = startProcess('sleep', ['300']).pid!;
	const dir = writeJob(jobsDir, folder, {job_id: jobId, status: 'RUNNING', role: 'worker', pid, ...fields});
	return {jobsDir, dir, pid};
}

const act = (args: string[]) => runCli([...args, '--grace', '2s']);

describe('action commands with --yes', () => {
	test('terminate JOB --yes --json: the job stopped, its status set, started and ok audited with actor user by the command, the entry printed', async () => {
		const {jobsDir, dir, pid} = sleepingJob('build-7');
		const child = startCli(['terminate', 'build-7', '--yes', '--json', '--jobs-dir', jobsDir, '--grace', '2s']);
		const result = await finished(child);
		expect(result.code, result.stderr).toBe(0);

		const printed = JSON.parse(result.stdout) as AuditEntry;
		expect(printed).toMatchObject({job_id: 'build-7', action: 'terminate', actor: 'user', result: 'ok', pids: {signalled: [pid]}, sentinel: {pid: child.pid}});
		expect(printed.reason).toMatch(/^terminate requested from the command line; status RUNNING -> INTERVENTION_REQUIRED; stopped 1 processes/);
		const entries = readAudit(jobsDir);
		expect(entries.map(entry => [entry.action, entry.actor, entry.result])).toEqual([
			['terminate', 'user', 'started'],
			['terminate', 'user', 'ok'],
		]);
		expect(entries[1]).toEqual(printed);
		expect(manifestOf(dir)).toMatchObject({status: 'INTERVENTION_REQUIRED', history: [{event: 'SENTINEL_INTERVENTION', previous_status: 'RUNNING'}]});
		expect(await waitFor(() => !running(pid))).toBe(true);
		// The command never competed for the lead (a sentinel that does makes leader.lock).
		expect(fs.readdirSync(path.join(jobsDir, '.sentinel'))).not.toContain('leader.lock');
	});

	test('recover by folder name, as a line: PENDING with SENTINEL_RECOVERY, the process stopped', async () => {
		const {jobsDir, dir, pid} = sleepingJob('a-long-job-id', 'job-folder');
		const result = await act(['recover', 'job-folder', '--yes', '--jobs-dir', jobsDir]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^recover a-long-job-id: ok \(recover requested from the command line; status RUNNING -> PENDING; stopped 1 processes in \d+ ms\)\n$/);
		expect(manifestOf(dir)).toMatchObject({status: 'PENDING', history: [{event: 'SENTINEL_RECOVERY'}]});
		expect(await waitFor(() => !running(pid))).toBe(true);
		expect(readAudit(jobsDir).map(entry => [entry.action, entry.actor, entry.result])).toEqual([
			['recover', 'user', 'started'],
			['recover', 'user', 'ok'],
		]);
	});

	test('pause and resume: state.json for every sentinel, an entry of the audit\'s shape printed, nothing in the audit log, the job untouched', async () => {
		const {jobsDir, dir, pid} = sleepingJob('nightly');
		const before = fs.readFileSync(path.join(dir, 'job_manifest.json'));

		const paused = await act(['pause', 'nightly', '--yes', '--json', '--jobs-dir', jobsDir]);
		expect(paused.code, paused.stderr).toBe(0);
		expect(JSON.parse(paused.stdout)).toMatchObject({job_id: 'nightly', action: 'pause', actor: 'user', result: 'ok'});
		expect(stateOf(jobsDir).paused).toEqual(['nightly']);

		const again = await act(['pause', 'nightly', '--yes', '--jobs-dir', jobsDir]);
		expect(again).toMatchObject({code: 0, stdout: 'pause nightly: ok (automatic action was already paused; nothing changed)\n'});

		const resumed = await act(['resume', 'nightly', '--yes', '--jobs-dir', jobsDir]);
		expect(resumed.code, resumed.stderr).toBe(0);
		expect(resumed.stdout).toMatch(/^resume nightly: ok \(automatic action resumed/);
		expect(stateOf(jobsDir).paused).toEqual([]);

		expect(readAudit(jobsDir)).toEqual([]);
		expect(fs.readFileSync(path.join(dir, 'job_manifest.json'))).toEqual(before);
		expect(running(pid)).toBe(true);
	});
});

describe('action commands refuse', () => {
	test('a process that is not the job\'s (another start time): the status changes alone, no signal, and the entry says why', async () => {
		// process_start names a process started an hour ago: the pid is now someone else's.
		const {jobsDir, dir, pid} = sleepingJob('reused', 'reused', {process_start: new Date(Date.now() - 3_600_000).toISOString()});
		const result = await act(['terminate', 'reused', '--yes', '--json', '--jobs-dir', jobsDir]);
		expect(result.code, result.stderr).toBe(0);
		const entry = JSON.parse(result.stdout) as AuditEntry;
		expect(entry).toMatchObject({result: 'ok', pids: {signalled: [], killed: []}});
		expect(entry.reason).toMatch(new RegExp(`process lost \\(pid ${pid} started at .*another process has the pid\\): no signal`));
		expect(manifestOf(dir)['status']).toBe('INTERVENTION_REQUIRED');
		expect(running(pid)).toBe(true);
	});

	test('the command\'s own shell as the job\'s process: nothing signalled, audited failed, exit 1', async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const go = path.join(makeTempDir('sentinel-go-'), 'go');
		// The shell waits for its manifest, then runs the command as its child: the job's process is the command's parent.
		const script = `while [ ! -e "$GO" ]; do sleep 0.05; done; "$NODE" "$CLI" terminate own-shell --yes --json --jobs-dir "$JOBS" --grace 1s; echo "exit $?"`;
		const shell = startProcess('sh', ['-c', script], {stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(undefined, {GO: go, NODE: process.execPath, CLI: cliPath, JOBS: jobsDir})});
		const dir = writeJob(jobsDir, 'own-shell', {job_id: 'own-shell', status: 'RUNNING', pid: shell.pid});
		fs.writeFileSync(go, '');
		const result = await finished(shell);
		expect(result.stdout.trim().split('\n').at(-1)).toBe('exit 1');
		const entry = JSON.parse(result.stdout.trim().split('\n')[0]!) as AuditEntry;
		expect(entry).toMatchObject({action: 'terminate', actor: 'user', result: 'failed', pids: {signalled: []}});
		expect(entry.reason).toContain(`nothing signalled: refused ${shell.pid}: refusing to signal pid ${shell.pid}: it is an ancestor of the sentinel`);
		expect(manifestOf(dir)['status']).toBe('INTERVENTION_REQUIRED');
	});

	test('no such job, a jobs directory that does not exist, a bad flag, no JOB: exit 3, nothing written', async () => {
		const {jobsDir, pid} = sleepingJob('present');
		const missing = path.join(jobsDir, 'not-here');
		const results = await Promise.all([
			runCli(['terminate', 'absent', '--yes', '--jobs-dir', jobsDir]),
			runCli(['recover', 'present', '--yes', '--jobs-dir', missing]),
			runCli(['pause', 'present', '--yes', '--jobs-dir', jobsDir, '--bogus-flag']),
			runCli(['resume', '--yes', '--jobs-dir', jobsDir]),
			runCli(['terminate', 'present', 'extra', '--yes', '--jobs-dir', jobsDir]),
			runCli(['terminate', 'present', '--yes', '--jobs-dir', jobsDir, '--grace', 'soon']),
		]);
		expect(results.map(result => result.code)).toEqual([3, 3, 3, 3, 3, 3]);
		expect(results.map(result => result.stderr.trim())).toEqual([
			`sentinel-tui: no job absent in ${jobsDir} (by job_id or folder name)`,
			`sentinel-tui: jobs directory ${missing} does not exist`,
			'sentinel-tui: unknown option --bogus-flag (see --help)',
			'sentinel-tui: resume needs a job: sentinel-tui resume JOB [--yes] [--json] (see --help)',
			'sentinel-tui: unexpected argument "extra" (see --help)',
			expect.stringMatching(/^sentinel-tui: .*--grace/),
		]);
		expect(results.every(result => result.stdout === '')).toBe(true);
		expect(running(pid)).toBe(true);
		expect(fs.existsSync(path.join(jobsDir, '.sentinel'))).toBe(false);
	});

	test('without a terminal and without --yes: exit 2, nothing asked or done', async () => {
		const {jobsDir, dir, pid} = sleepingJob('careful');
		const before = fs.readFileSync(path.join(dir, 'job_manifest.json'));
		const results = await Promise.all(['terminate', 'recover', 'pause', 'resume'].map(command => runCli([command, 'careful', '--jobs-dir', jobsDir])));
		for (const result of results) {
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(/asks before it acts, and there is no terminal to ask on: add --yes/);
			expect(result.stdout).toBe('');
		}
		expect(fs.readFileSync(path.join(dir, 'job_manifest.json'))).toEqual(before);
		expect(fs.existsSync(path.join(jobsDir, '.sentinel'))).toBe(false);
		expect(running(pid)).toBe(true);
	});

	test('two actions at once on one job: the second refuses while the first is in its grace period, audited failed', async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		// A process that ignores SIGTERM: the first stop lasts its whole grace period.
		const stubborn = startNode('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)');
		const pid = stubborn.pid!;
		// Its handler in place, or the first SIGTERM would end it at once.
		expect(await waitFor(() => catches(pid, 'SIGTERM'))).toBe(true);
		const dir = writeJob(jobsDir, 'contested', {job_id: 'contested', status: 'RUNNING', pid});

		const first = startCli(['terminate', 'contested', '--yes', '--json', '--jobs-dir', jobsDir, '--grace', '8s']);
		const firstDone = finished(first);
		// The first has begun once its `started` entry is in the log: the stop's grace period runs.
		const begun = () => readAudit(jobsDir).some(entry => entry.result === 'started');
		expect(await waitFor(begun, 20_000)).toBe(true);
		const second = await runCli(['recover', 'contested', '--yes', '--json', '--jobs-dir', jobsDir]);
		expect(second.code, second.stderr).toBe(1);
		const refused = JSON.parse(second.stdout) as AuditEntry;
		expect(refused).toMatchObject({action: 'recover', actor: 'user', result: 'failed', pids: {signalled: [], killed: []}});
		expect(refused.reason).toMatch(/an action on this job is already under way/);
		expect(manifestOf(dir)['status']).toBe('INTERVENTION_REQUIRED');

		const done = await firstDone;
		expect(done.code, done.stderr).toBe(0);
		expect(JSON.parse(done.stdout)).toMatchObject({action: 'terminate', result: 'ok', pids: {killed: [pid]}});
		expect(readAudit(jobsDir).map(entry => [entry.action, entry.result])).toEqual([
			['terminate', 'started'],
			['recover', 'failed'],
			['terminate', 'ok'],
		]);
		// One transition only: the refused recover wrote nothing.
		expect(manifestOf(dir)['history']).toHaveLength(1);
	});
});
