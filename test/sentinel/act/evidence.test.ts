// SPEC section 15: right before the first signal of every recover and terminate, one evidence
// file in <job-dir>/.sentinel/evidence/, owned like the job directory, mode 0600, secrets hidden,
// the last 20 kept; a file that cannot be written never holds up the stop.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createInterventions} from '../../../source/sentinel/act/intervention-runner.js';
import {evidenceName} from '../../../source/sentinel/act/evidence/evidence-folder.js';
import type {EvidenceRecord} from '../../../source/sentinel/act/evidence/evidence-record.js';
import {processLimit} from '../../../source/sentinel/act/evidence/keep-evidence.js';
import {descendantsOf, readProcess, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../../source/types.js';
import {startTestEngine} from '../../helpers/engine.js';
import {evidenceRecord, plantedSecrets, recoverResult, silentServer, startEvidenceTree, terminateJob} from '../../helpers/evidence-tree.js';
import {processStart, startSleeper, writeSilentJob} from '../../helpers/job-faults.js';
import {startHeadlessAs} from '../../helpers/headless-as.js';
import {asNobody, giveToNobody, isRoot, nobodyHome, nobodyIds} from '../../helpers/nobody.js';
import {isAlive, startProcess, waitFor} from '../../helpers/processes.js';
import {readAudit} from '../../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';
import {fillUp, mountTmpfs} from '../../helpers/tmpfs.js';

const acting = {interventions: createInterventions};

function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

function evidenceOf(entry: AuditEntry): {text: string; record: EvidenceRecord} {
	expect(entry['evidence_error'], 'no evidence error').toBeUndefined();
	return {text: fs.readFileSync(entry['evidence_file'] as string, 'utf8'), record: evidenceRecord(entry)};
}

describe('evidence before the kill', () => {
	it('a terminate keeps the tree, what each process waits on, the output and the manifest, secrets hidden, owned like the job directory, mode 0600', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const dir = path.join(jobsDir, 'stuck');
		fs.mkdirSync(dir);
		const port = await silentServer();
		const tree = await startEvidenceTree(dir, port);
		writeJob(jobsDir, 'stuck', {job_id: 'stuck', status: 'RUNNING', pid: tree.root, process_start: processStart(tree.root), description: 'an agent', api_token: plantedSecrets.token});
		// The job directory belongs to another user; the manifest (and so the processes) to us.
		if (isRoot) fs.chownSync(dir, nobodyIds().uid, nobodyIds().gid);
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, acting);

		const rootStart = readProcess(tree.root)!.startTimeMs;
		const entry = await terminateJob(engine, 'stuck');
		expect(entry, entry.reason).toMatchObject({action: 'terminate', result: 'ok'});
		const file = entry['evidence_file'] as string;
		expect(path.dirname(file)).toBe(path.join(dir, '.sentinel', 'evidence'));
		expect(path.basename(file)).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z-terminate-${entry.action_id}\\.json$`));
		const stats = fs.statSync(file);
		expect(stats.mode & 0o777).toBe(0o600);
		const owner = fs.statSync(dir);
		expect([stats.uid, stats.gid]).toEqual([owner.uid, owner.gid]);
		expect(fs.statSync(path.dirname(file)).uid).toBe(owner.uid);
		expect(fs.statSync(path.join(dir, '.sentinel')).uid).toBe(owner.uid);

		const {text, record} = evidenceOf(entry);
		for (const [shape, secret] of Object.entries(plantedSecrets)) expect(text.includes(secret), `${shape} hidden`).toBe(false);
		expect(record).toMatchObject({format: 1, action: 'terminate', action_id: entry.action_id, actor: 'user', job_id: 'stuck', dir, sentinel: {version: '0.1.0', pid: process.pid}});
		expect(record.sentinel.host).not.toBe('');
		// Taken before the first signal: every member alive and asleep, as snapshotted.
		expect(record.processes.map(facts => facts.pid).sort()).toEqual([...tree.members].sort());
		expect(record.processes.every(facts => facts.state === 'S')).toBe(true);
		const byPid = new Map(record.processes.map(facts => [facts.pid, facts]));
		const root = byPid.get(tree.root)!;
		expect(root).toMatchObject({ppid: expect.any(Number), name: 'sh', cwd: dir, syscall: expect.stringMatching(/^(wait4|rt_sigsuspend)$/), start_time: new Date(rootStart).toISOString()});
		expect(root.command).toContain('--token ***');
		expect(root.rss_bytes).toBeGreaterThan(0);
		expect(root.fds.some(fd => fd.fd === 0)).toBe(true);
		const child = record.processes.find(facts => facts.command?.includes(' child '))!;
		expect(child.command).toContain('--api-key=***');
		expect(child.command).toContain('PASSWORD=***');
		// Blocked on a pipe: the call and the pipe it reads.
		expect(byPid.get(tree.catPid)).toMatchObject({syscall: 'read', waits_on: [{fd: 0, kind: 'pipe', name: expect.stringMatching(/^pipe:\[\d+\]$/)}]});
		// Blocked on a socket: its peer, in the descriptors and in what it waits on.
		const socketProcess = byPid.get(tree.socketPid)!;
		expect(socketProcess.fds.some(fd => fd.peer === `127.0.0.1:${port}`)).toBe(true);
		expect(socketProcess.waits_on.some(target => target.kind === 'socket' && target.name === `127.0.0.1:${port}`)).toBe(true);
		expect(socketProcess.command).toMatch(/\*\*\* \*\*\* \*\*\* \*\*\*$/);
		for (const facts of record.processes) expect(facts.stack === null || typeof facts.stack === 'string').toBe(true);
		// The output's last 200 lines, a key in it hidden.
		const [output] = record.outputs;
		expect(output).toMatchObject({file: path.join('logs', 'output.log')});
		expect(output!.lines).toHaveLength(200);
		expect(output!.lines[0]).toBe('line 51');
		expect(output!.lines.at(-1)).toBe('line 250');
		expect(output!.lines).toContain('line 241 using key ***');
		// The manifest as it was, before the terminate's write; a field named like a secret hidden.
		expect(record.manifest).toMatchObject({status: 'RUNNING', description: 'an agent', api_token: '***'});
		expect(record.evidence_command).toBeNull();
		await engine.stop();
	});

	it('an automatic recover keeps its evidence too, with the assessment and diagnosis it acted on', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		writeSilentJob(jobsDir, 'silent', pid);
		const {engine} = await startTestEngine(jobsDir, {workerTimeout: '1m', criticalTimeout: '1h', grace: '1s'}, acting);
		const result = await recoverResult(jobsDir);
		expect(result, result.reason).toMatchObject({actor: 'auto', result: 'ok'});
		const {record} = evidenceOf(result);
		expect(record).toMatchObject({action: 'recover', actor: 'auto', severity: 'high', assessment: {severity: 'high'}, diagnosis: {kind: 'sleeping', pid}});
		expect(record.processes.map(facts => facts.pid)).toEqual([pid]);
		expect(record.processes[0]).toMatchObject({syscall: 'clock_nanosleep', command: 'sleep 300'});
		await engine.stop();
	});

	it('reads no output file through a link out of the job directory, and opens no FIFO: each is named with why, the stop goes on', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const outside = makeTempDir('sentinel-elsewhere-');
		fs.writeFileSync(path.join(outside, 'secret.log'), 'outside-line-1f2e\n');
		const pid = await startSleeper();
		const dir = writeJob(jobsDir, 'planted', {job_id: 'planted', status: 'RUNNING', pid, process_start: processStart(pid)});
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'real.log'), 'a real line\n');
		fs.symlinkSync(path.join(outside, 'secret.log'), path.join(dir, 'logs', 'linked.log'));
		fs.symlinkSync(path.join(outside, 'secret.log'), path.join(dir, 'top.log'));
		execFileSync('mkfifo', [path.join(dir, 'logs', 'pipe.log')]);
		// A second job whose whole logs folder is a link out.
		const other = await startSleeper();
		const otherDir = writeJob(jobsDir, 'linked-logs', {job_id: 'linked-logs', status: 'RUNNING', pid: other, process_start: processStart(other)});
		fs.symlinkSync(outside, path.join(otherDir, 'logs'));
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, acting);

		const entry = await terminateJob(engine, 'planted');
		expect(entry, entry.reason).toMatchObject({result: 'ok', pids: {signalled: [pid]}});
		const {text, record} = evidenceOf(entry);
		const byFile = Object.fromEntries(record.outputs.map(tail => [tail.file, tail]));
		expect(byFile).toMatchObject({
			[path.join('logs', 'real.log')]: {lines: ['a real line']},
			[path.join('logs', 'linked.log')]: {lines: [], problem: expect.stringMatching(/symbolic link/)},
			[path.join('logs', 'pipe.log')]: {lines: [], problem: expect.stringMatching(/not a regular file/)},
			'top.log': {lines: [], problem: expect.stringMatching(/symbolic link/)},
		});
		const linkedLogs = await terminateJob(engine, 'linked-logs');
		expect(linkedLogs, linkedLogs.reason).toMatchObject({result: 'ok', pids: {signalled: [other]}});
		const second = evidenceOf(linkedLogs);
		expect(second.record.outputs).toEqual([]);
		for (const kept of [text, second.text]) expect(kept).not.toContain('outside-line-1f2e');
		await engine.stop();
	});

	it('reads at most 64 processes of a wide tree before the stop (a fork bomb\'s thousands would hold it up), counting the rest; every one is still stopped', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const root = startProcess('sh', ['-c', 'for i in $(seq 80); do sleep 600 & done; wait']).pid!;
		expect(await waitFor(() => descendantsOf(scanProcesses(), root).filter(info => info.name === 'sleep').length === 80 && readProcess(root)?.state === 'S', 15_000)).toBe(true);
		writeJob(jobsDir, 'wide', {job_id: 'wide', status: 'RUNNING', pid: root, process_start: processStart(root)});
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, acting);
		const entry = await terminateJob(engine, 'wide');
		expect(entry, entry.reason).toMatchObject({result: 'ok'});
		expect(entry.pids.signalled).toHaveLength(81);
		const {record} = evidenceOf(entry);
		expect(record.processes).toHaveLength(processLimit);
		expect(record.processes[0]!.pid).toBe(root);
		expect(record.processes_left_out).toBe(81 - processLimit);
		await engine.stop();
	});

	it('keeps the last 20 files of a job, the oldest removed (64 at most a stop), anything else in the folder left alone', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = await startSleeper();
		const dir = writeJob(jobsDir, 'kept', {job_id: 'kept', status: 'RUNNING', pid, process_start: processStart(pid)});
		const folder = path.join(dir, '.sentinel', 'evidence');
		fs.mkdirSync(folder, {recursive: true});
		const old = Array.from({length: 22}, (_, index) => evidenceName(Date.parse('2026-01-01T00:00:00Z') + index * 60_000, 'recover', `old-${index}`));
		for (const name of old) fs.writeFileSync(path.join(folder, name), '{}');
		fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
		// A folder its job's owner filled: 64 files removed a stop at most, the oldest first.
		const other = await startSleeper();
		const filledDir = writeJob(jobsDir, 'filled', {job_id: 'filled', status: 'RUNNING', pid: other, process_start: processStart(other)});
		const filled = path.join(filledDir, '.sentinel', 'evidence');
		fs.mkdirSync(filled, {recursive: true});
		const planted = Array.from({length: 100}, (_, index) => evidenceName(Date.parse('2025-01-01T00:00:00Z') + index * 60_000, 'terminate', `planted-${index}`));
		for (const name of planted) fs.writeFileSync(path.join(filled, name), '{}');
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, acting);
		const entry = await terminateJob(engine, 'kept');
		const names = fs.readdirSync(folder).sort();
		expect(names).toEqual([...old.slice(3), path.basename(entry['evidence_file'] as string), 'notes.txt'].sort());
		const second = await terminateJob(engine, 'filled');
		expect(fs.readdirSync(filled).sort()).toEqual([...planted.slice(64), path.basename(second['evidence_file'] as string)].sort());
		await engine.stop();
	});

	it('the stop goes on when the evidence cannot be written: a full disk, or a link in place of .sentinel; the audit entry says why', {timeout: 60_000}, async ({skip}) => {
		const jobsDir = makeTempDir();
		const full = await startSleeper();
		const fullDir = writeJob(jobsDir, 'full', {job_id: 'full', status: 'RUNNING', pid: full, process_start: processStart(full)});
		const mount = mountTmpfs('64k', path.join(fullDir, '.sentinel'));
		if ('problem' in mount) return skip(`cannot mount a tmpfs: ${mount.problem}`);
		fillUp(path.join(mount.dir, 'filler.bin'));
		const linked = await startSleeper();
		const linkedDir = writeJob(jobsDir, 'linked', {job_id: 'linked', status: 'RUNNING', pid: linked, process_start: processStart(linked)});
		const elsewhere = makeTempDir('sentinel-elsewhere-');
		fs.symlinkSync(elsewhere, path.join(linkedDir, '.sentinel'));
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, acting);

		const onFull = await terminateJob(engine, 'full');
		expect(onFull, onFull.reason).toMatchObject({result: 'ok', pids: {signalled: [full]}, evidence_error: expect.stringMatching(/evidence not kept: .*no space left on device/)});
		expect(onFull['evidence_file']).toBeUndefined();
		const onLink = await terminateJob(engine, 'linked');
		expect(onLink, onLink.reason).toMatchObject({result: 'ok', pids: {signalled: [linked]}, evidence_error: expect.stringMatching(/evidence not kept: .*\.sentinel is a symbolic link/)});
		expect(fs.readdirSync(elsewhere)).toEqual([]);
		expect(await waitFor(() => !running(full) && !running(linked), 10_000)).toBe(true);
		await engine.stop();
	});
});

describe.skipIf(!isRoot)('evidence under a sentinel run as nobody', () => {
	it('a job whose .sentinel nobody cannot write is still stopped, and the result entry says why no evidence was kept', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-unwritable-');
		const pid = await startSleeper({asNobody: true});
		const dir = writeSilentJob(jobsDir, 'walled', pid);
		giveToNobody(jobsDir);
		// The job's own .sentinel, left by a root run: root's, mode 0755.
		const walled = path.join(dir, '.sentinel');
		fs.mkdirSync(walled, {mode: 0o755});
		const sentinel = startHeadlessAs(asNobody, jobsDir, ['--worker-timeout', '3s', '--interval', '250ms', '--grace', '1s'], nobodyHome());

		const result = await sentinel.waitForLine('the walled job recovered', line => line.type === 'intervention' && line['job_id'] === 'walled' && line['result'] !== 'started');
		expect(result, JSON.stringify(result)).toMatchObject({action: 'recover', result: 'ok', pids: {signalled: [pid]}, evidence_error: expect.stringMatching(/^evidence not kept: .*\.sentinel\/evidence.*permission denied/)});
		expect(result['evidence_file']).toBeUndefined();
		expect(await waitFor(() => !isAlive(pid), 5000), `sleep ${pid} stopped`).toBe(true);
		const audited = readAudit(jobsDir).find(entry => entry.action_id === result['action_id'] && entry.result !== 'started');
		expect(audited?.['evidence_error']).toBe(result['evidence_error']);
		expect(fs.readdirSync(walled)).toEqual([]);
		const {code, signal} = await sentinel.stop();
		expect({code, signal, stderr: sentinel.stderr()}).toEqual({code: 0, signal: null, stderr: ''});
	});
});
