import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../source/types.js';
import {cliPath, finished, runCli, startCli} from '../helpers/cli.js';
import {catches, startNode, startProcess, waitFor} from '../helpers/processes.js';
import {readAudit, startSentinel, type SentinelLine} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {startTmux} from '../helpers/tmux.js';

// The action commands beside running sentinels: the sentinels honour what they write (a pause in
// state.json, a status in the manifest, an entry in the audit log), and a command never takes the
// lead from them or acts in their place.

function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

/** The pid leader.json names, or null. */
function leaderPid(jobsDir: string): number | null {
	const file = path.join(jobsDir, '.sentinel', 'leader.json');
	return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {pid: number}).pid : null;
}

/**
 * A RUNNING worker whose process is a real `sleep`, silent for an hour (its manifest's mtime); its
 * `process_start` says who the process is, as the mtime no longer can.
 */
async function silentJob(jobsDir: string, jobId: string): Promise<{dir: string; pid: number}> {
	const pid = startProcess('sleep', ['300']).pid!;
	expect(await waitFor(() => readProcess(pid) !== null)).toBe(true);
	const processStart = new Date(readProcess(pid)!.startTimeMs).toISOString();
	const dir = writeJob(jobsDir, jobId, {job_id: jobId, status: 'RUNNING', role: 'worker', pid, process_start: processStart});
	const anHourAgo = new Date(Date.now() - 3_600_000);
	fs.utimesSync(path.join(dir, 'job_manifest.json'), anHourAgo, anHourAgo);
	return {dir, pid};
}

const assessed = (jobId: string, severity: string) => (line: SentinelLine) => line.type === 'assessment' && line['job_id'] === jobId && line['severity'] === severity;

describe('action commands beside a running sentinel', () => {
	test('a headless leader honours the command\'s pause, sees its terminate, keeps the lead, and never acts on the job itself', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const {pid} = await silentJob(jobsDir, 'hung');
		// Paused before any sentinel runs: the command writes state.json on its own.
		const paused = await runCli(['pause', 'hung', '--yes', '--jobs-dir', jobsDir]);
		expect(paused.code, paused.stderr).toBe(0);

		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--worker-timeout', '2s', '--critical-timeout', '4s', '--grace', '1s']);
		await sentinel.waitForLine(assessed('hung', 'critical'), 20_000);
		expect(await waitFor(() => leaderPid(jobsDir) === sentinel.pid, 20_000)).toBe(true);

		const command = startCli(['terminate', 'hung', '--yes', '--json', '--jobs-dir', jobsDir, '--grace', '1s']);
		const result = await finished(command);
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({action: 'terminate', actor: 'user', result: 'ok', severity: 'critical', pids: {signalled: [pid]}});
		// The leader read the command's write: the job left the monitored statuses.
		const seen = await sentinel.waitForLine(line => assessed('hung', 'ok')(line) && line['previous_severity'] === 'critical', 20_000);
		expect(seen).toBeDefined();
		expect(await waitFor(() => !running(pid))).toBe(true);

		expect(leaderPid(jobsDir)).toBe(sentinel.pid);
		expect(sentinel.lines.filter(line => line.type === 'intervention')).toEqual([]);
		const entries: AuditEntry[] = readAudit(jobsDir);
		expect(entries.map(entry => [entry.actor, entry.result, entry.sentinel.pid])).toEqual([
			['user', 'started', command.pid],
			['user', 'ok', command.pid],
		]);
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
	});

	test('a sentinel that takes the lead while a command is in its grace period does not finish the command\'s action in its place', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		// A process that ignores SIGTERM: the command's stop lasts its whole grace period.
		const stubborn = startNode('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)');
		const pid = stubborn.pid!;
		// Its handler in place, or the first SIGTERM would end it at once.
		expect(await waitFor(() => catches(pid, 'SIGTERM'))).toBe(true);
		writeJob(jobsDir, 'slow-stop', {job_id: 'slow-stop', status: 'RUNNING', pid});
		const command = startCli(['terminate', 'slow-stop', '--yes', '--json', '--jobs-dir', jobsDir, '--grace', '6s']);
		const commandDone = finished(command);
		expect(await waitFor(() => readAudit(jobsDir).some(entry => entry.result === 'started'), 20_000)).toBe(true);

		// A new leader finds a `started` entry without its result, as after a crash; its action lock
		// says its actor is alive, so the leader waits for the result instead of acting.
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--grace', '1s']);
		expect(await waitFor(() => leaderPid(jobsDir) === sentinel.pid, 20_000)).toBe(true);
		const done = await commandDone;
		expect(done.code, done.stderr).toBe(0);
		expect(JSON.parse(done.stdout)).toMatchObject({result: 'ok', pids: {killed: [pid]}});
		// Stopping lets whatever it had in flight finish: a second result would be written by now.
		await sentinel.stop();
		expect(readAudit(jobsDir).map(entry => [entry.result, entry.sentinel.pid])).toEqual([
			['started', command.pid],
			['ok', command.pid],
		]);
		expect(sentinel.lines.filter(line => line.type === 'intervention')).toEqual([]);
	});

	test('a dashboard shows the command\'s audit entry in its log and the job\'s new status', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const pid = startProcess('sleep', ['300']).pid!;
		writeJob(jobsDir, 'shown', {job_id: 'shown', status: 'RUNNING', role: 'worker', pid});
		const pane = startTmux({command: [process.execPath, cliPath, jobsDir, '--no-auto', '--interval', '1s'], columns: 140, rows: 30, home: makeTempDir('sentinel-home-')});
		await pane.waitFor('the job on the dashboard', rows => rows.some(row => /shown .*RUNNING/.test(row)), {timeoutMs: 20_000});

		const result = await runCli(['recover', 'shown', '--yes', '--jobs-dir', jobsDir, '--grace', '1s']);
		expect(result.code, result.stderr).toBe(0);
		const screen = await pane.waitFor('the entry in the intervention log', rows => rows.some(row => /recover shown ok user ok recover requested from the command line/.test(row)), {timeoutMs: 20_000});
		expect(screen.some(row => /shown .*PENDING/.test(row)), screen.join('\n')).toBe(true);
		expect(running(pid)).toBe(false);
	});
});
