// SPEC section 15: `--evidence-command CMD` runs before the stop with `{pid}` the job's deepest
// stuck process, for at most 5 s; its output lands in the evidence file, and a failure or a
// timeout is recorded without holding up the stop past that limit.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {createInterventions} from '../../../source/sentinel/act/intervention-runner.js';
import {evidenceCommandLimitMs, runEvidenceCommand} from '../../../source/sentinel/act/evidence/evidence-command.js';
import {commandPid, evidenceForStop} from '../../../source/sentinel/act/evidence/keep-evidence.js';
import {descendantsOf, readProcess, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import type {ValidJob} from '../../../source/types.js';
import {startTestEngine} from '../../helpers/engine.js';
import {evidenceRecord, recoverResult, terminateJob} from '../../helpers/evidence-tree.js';
import {startSleeper, writeSilentJob} from '../../helpers/job-faults.js';
import {isAlive, startProcess, waitFor} from '../../helpers/processes.js';
import {shellQuote} from '../../helpers/shell.js';
import {makeTempDir} from '../../helpers/temp-dir.js';

const acting = {interventions: createInterventions};

describe('the evidence command', () => {
	it('runs with the diagnosis\'s pid before the stop, its output (secrets hidden) kept in the evidence file', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		writeSilentJob(jobsDir, 'silent', pid);
		const command = 'echo "pid={pid} state=$(cut -d" " -f3 /proc/{pid}/stat)"; echo "token=sk-proj-Zyxwvuts98765432"; echo oops >&2; exit 3';
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '1m', grace: '1s', evidenceCommand: command}, acting);
		const result = await recoverResult(jobsDir);
		expect(result, result.reason).toMatchObject({result: 'ok', pids: {signalled: [pid]}});
		// Run while the process still slept: before the first signal.
		expect(evidenceRecord(result).evidence_command).toMatchObject({pid, exit_code: 3, timed_out: false, stdout: `pid=${pid} state=S\ntoken=***`, stderr: 'oops'});
		expect(evidenceRecord(result).evidence_command!.command).toContain(`/proc/${pid}/stat`);
		await engine.stop();
	});

	it('is killed, its whole group, at the 5 s limit, recorded as timed out, and the stop goes on', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		const dir = path.join(jobsDir, 'slow');
		writeSilentJob(jobsDir, 'slow', pid, {}, 0);
		const pidFile = path.join(dir, 'command.pid');
		// A child of the command that would outlive it, were its group not killed.
		const {engine} = await startTestEngine(jobsDir, {grace: '1s', evidenceCommand: `sleep 60 & echo $! > ${shellQuote(pidFile)}; echo started; wait`}, acting);
		const entry = await terminateJob(engine, 'slow');
		expect(entry, entry.reason).toMatchObject({result: 'ok', pids: {signalled: [pid]}});
		const record = evidenceRecord(entry).evidence_command!;
		expect(record).toMatchObject({timed_out: true, exit_code: null, signal: 'SIGKILL', stdout: 'started'});
		expect(record.duration_ms).toBeGreaterThanOrEqual(evidenceCommandLimitMs);
		const leftover = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(await waitFor(() => !isAlive(leftover) || readProcess(leftover)?.state === 'Z', 5000), 'the command\'s child killed with it').toBe(true);
		await engine.stop();
	});

	it('checks the process again after the command: one that ended meanwhile is lost, and nothing is signalled', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		writeSilentJob(jobsDir, 'ended', pid, {}, 0);
		// The job's own process ends while the command runs (here the command ends it).
		const {engine} = await startTestEngine(jobsDir, {grace: '1s', evidenceCommand: 'kill -KILL {pid}; sleep 0.3'}, acting);
		const entry = await terminateJob(engine, 'ended');
		expect(entry, entry.reason).toMatchObject({result: 'ok', pids: {signalled: [], killed: []}, reason: expect.stringMatching(/process lost \(.*\) while the evidence command ran: no signal$/)});
		expect(entry['evidence_file']).toBeUndefined();
		await engine.stop();
	});

	it('is given the diagnosis\'s pid only while that process is in the job\'s tree, the job\'s own pid otherwise, and no pid (not run) when the stop will refuse the job\'s', async () => {
		const root = startProcess('sh', ['-c', 'sleep 600 & wait']).pid!;
		let child: number | undefined;
		expect(await waitFor(() => (child = descendantsOf(scanProcesses(), root).find(info => info.name === 'sleep')?.pid) !== undefined)).toBe(true);
		// A diagnosis older than the tree may name a pid that another process holds now.
		const stranger = await startSleeper();
		expect([commandPid(root, child!), commandPid(root, stranger), commandPid(root, root)]).toEqual([child, root, root]);
		// A root the stop refuses (the sentinel's own parent, pid 1) is not looked at either.
		expect([commandPid(process.ppid, process.ppid), commandPid(1, 1), commandPid(process.pid, process.pid)]).toEqual([null, null, null]);
	});

	it('never throws into the stop: a capture that fails says why in the entry', async () => {
		const job = {jobId: 'j', dir: makeTempDir()} as ValidJob;
		const input = {action: 'terminate', actionId: 'a', actor: 'user', job, severity: 'high', reason: 'r', assessment: null, sample: null, manifest: null} as const;
		const evidence = await evidenceForStop(null, {root: process.pid, stuck: process.pid}, input, () => {
			throw new Error('no clock');
		});
		expect(() => evidence.take(scanProcesses(), [process.pid])).not.toThrow();
		expect(await evidence.outcome()).toEqual({evidence_error: 'evidence not kept: no clock'});
	});

	it('leaves nothing running when its shell exits: what it started in the background is killed with its group', {timeout: 30_000}, async () => {
		const pidFile = path.join(makeTempDir(), 'left.pid');
		let left: number | undefined;
		onTestFinished(() => {
			if (left !== undefined && readProcess(left)?.name === 'sleep') process.kill(left, 'SIGKILL');
		});
		const record = await runEvidenceCommand(`sleep 60 & echo $! > ${shellQuote(pidFile)}; echo done`, process.pid);
		expect(record).toMatchObject({exit_code: 0, timed_out: false, stdout: 'done'});
		left = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(await waitFor(() => !isAlive(left!) || readProcess(left!)?.state === 'Z', 5000), 'the background sleep killed').toBe(true);
	});

	it('records a command that cannot run, and puts only a number in place of {pid}', async () => {
		const record = await runEvidenceCommand('/no/such/tool --pid {pid}', 4242.7, 2000);
		expect(record).toMatchObject({command: '/no/such/tool --pid 4242', pid: 4242, exit_code: 127, timed_out: false});
		expect(record.stderr).toMatch(/not found/);
	});
});
