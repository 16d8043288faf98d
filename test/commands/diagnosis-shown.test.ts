// The diagnosis (SPEC section 12) where operators and programs read it: status (WHY and JSON),
// headless assessment events, the audit log's evidence and the notify hook's payload; and, under a
// sentinel run as nobody, what is left of it for another user's processes.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {AuditEntry, Diagnosis, Signal} from '../../source/types.js';
import {runCli} from '../helpers/cli.js';
import {isRoot, nobodyHome, runCliAsNobody} from '../helpers/nobody.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {readAudit, startSentinel} from '../helpers/sentinel-process.js';
import {shellQuote} from '../helpers/shell.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

type StatusJob = {job_id: string; severity: string | null; evidence: Signal[]; diagnosis: Diagnosis | null};

/**
 * A job whose manifest was last written `minutes` ago (10): silent, as far as its files say. Its
 * process, started just now, is named with its start (identity, SPEC section 5), as the
 * manifest's old mtime would otherwise make it a later process than the job's.
 */
function silentJob(jobsDir: string, jobId: string, pid: number | undefined, status = 'RUNNING', minutes = 10): string {
	const dir = writeJob(jobsDir, jobId, {job_id: jobId, status, pid, process_start: new Date().toISOString()});
	const past = new Date(Date.now() - minutes * 60_000);
	fs.utimesSync(path.join(dir, 'job_manifest.json'), past, past);
	return dir;
}

/** `sh -c 'cat; ...'` with a pipe on its standard input that the test holds and never writes. */
function prompt(): number {
	return startProcess('sh', ['-c', 'cat; echo answered'], {stdio: ['pipe', 'ignore', 'ignore']}).pid!;
}

async function statusJson(args: string[], run = runCli): Promise<{code: number | null; jobs: Map<string, StatusJob>; stderr: string}> {
	const result = await run(['status', '--json', '--interval', '250ms', ...args]);
	const document = JSON.parse(result.stdout) as {jobs: StatusJob[]};
	return {code: result.code, jobs: new Map(document.jobs.map(job => [job.job_id, job])), stderr: result.stderr};
}

describe('status shows the diagnosis', () => {
	it('in --json (null for an invalid job or one not monitored) and in the WHY column', async () => {
		const jobsDir = makeTempDir();
		silentJob(jobsDir, 'prompt', prompt());
		silentJob(jobsDir, 'finished', undefined, 'SUCCESS');
		writeJob(jobsDir, 'broken', '{"job_id": ');
		const {jobs} = await statusJson([jobsDir]);
		const diagnosis = jobs.get('prompt')!.diagnosis!;
		expect(diagnosis).toMatchObject({kind: 'waiting-for-input', command: 'cat', detail: 'reads its standard input, a pipe nobody in the job writes'});
		expect(jobs.get('prompt')!.evidence.at(-1)).toMatchObject({name: 'diagnosis', value: 'waiting-for-input', diagnosis});
		expect(jobs.get('finished')!.diagnosis).toBeNull();
		expect(jobs.get('broken')!.diagnosis).toBeNull();

		const table = await runCli(['status', '--interval', '250ms', jobsDir]);
		const row = table.stdout.split('\n').find(line => line.startsWith('│ prompt '));
		expect(row, table.stdout).toContain(`waiting-for-input: pid ${diagnosis.pid} (cat) reads its standard input, a pipe nobody in`);
	});

	it('names a command line sanitised: no escape sequence from /proc reaches the terminal', async () => {
		const jobsDir = makeTempDir();
		// A process whose argv carries an escape sequence and a bidi override, as a hostile job could.
		const hostile = startProcess(process.execPath, ['-e', 'setInterval(() => {}, 60_000)', '\u001B[31mred\u202Eevil']);
		silentJob(jobsDir, 'hostile', hostile.pid);
		const {jobs} = await statusJson([jobsDir]);
		expect(jobs.get('hostile')!.diagnosis).toMatchObject({kind: 'sleeping', pid: hostile.pid, command: `${process.execPath} -e setInterval(() => {}, 60_000) redevil`});
		const table = await runCli(['status', '--interval', '250ms', jobsDir]);
		expect(table.stdout).toContain('redevil');
		expect(table.stdout).not.toMatch(/[\u001B\u202E]/);
	});
});

describe('headless shows the diagnosis', () => {
	it('in assessment events, a new one when the kind changes while the severity stands', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const sleeper = startProcess('sleep', ['600']);
		writeJob(jobsDir, 'sleeper', {job_id: 'sleeper', status: 'RUNNING', pid: sleeper.pid});
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--no-auto']);
		const kindIs = (kind: string) => (line: {type: string; [field: string]: unknown}) => line.type === 'assessment' && (line['diagnosis'] as Diagnosis | null)?.kind === kind;
		const asleep = await sentinel.waitForLine(kindIs('sleeping'), 20_000);
		expect(asleep).toMatchObject({job_id: 'sleeper', severity: 'ok', diagnosis: {kind: 'sleeping', pid: sleeper.pid, command: 'sleep 600', detail: 'sleeps on a timer'}});
		process.kill(sleeper.pid!, 'SIGSTOP');
		const stopped = await sentinel.waitForLine(kindIs('stopped'), 20_000);
		expect(stopped).toMatchObject({severity: 'ok', previous_severity: 'ok', diagnosis: {kind: 'stopped', pid: sleeper.pid}});
		process.kill(sleeper.pid!, 'SIGCONT');
		await waitFor(() => sentinel.lines.filter(kindIs('sleeping')).length === 2, 20_000);
		// One event per change, none while nothing changes.
		const kinds = sentinel.lines.filter(line => line.type === 'assessment').map(line => (line['diagnosis'] as Diagnosis).kind);
		expect(kinds.slice(kinds.indexOf('sleeping'))).toEqual(['sleeping', 'stopped', 'sleeping']);
	});

	it('in the evidence of audit entries and the notify payload of an intervention on a prompt', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const payload = path.join(makeTempDir(), 'payload.json');
		// Silent for 16 minutes against T = 30 min: low; the prompt raises it to medium, a notify.
		silentJob(jobsDir, 'prompt', prompt(), 'RUNNING', 16);
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--on-intervention', `cat > ${shellQuote(payload)}`]);
		const notified = await sentinel.waitForLine(line => line.type === 'intervention' && line['action'] === 'notify' && line['result'] === 'ok', 30_000);
		expect(notified).toMatchObject({job_id: 'prompt', severity: 'medium'});
		const entry = readAudit(jobsDir).find(item => item.action === 'notify' && item.result === 'ok') as AuditEntry;
		const signal = entry.evidence.find(item => item.name === 'diagnosis') as Signal & {diagnosis: Diagnosis};
		expect(signal).toMatchObject({severity: 'medium', value: 'waiting-for-input', diagnosis: {kind: 'waiting-for-input', command: 'cat'}});
		expect(signal.message).toMatch(/a prompt nobody answers: silence low raised to medium$/);
		expect(await waitFor(() => fs.existsSync(payload) && fs.readFileSync(payload, 'utf8').endsWith('}'), 15_000)).toBe(true);
		const hooked = JSON.parse(fs.readFileSync(payload, 'utf8')) as AuditEntry;
		expect(hooked.evidence.find(item => item.name === 'diagnosis')).toMatchObject({value: 'waiting-for-input', diagnosis: {kind: 'waiting-for-input'}});
	});
});

describe.skipIf(!isRoot)('under a sentinel run as nobody, the processes of another user (root)', () => {
	it('are judged from their state, wchan and /proc/locks, the detail saying their syscall file cannot be read', async () => {
		const jobsDir = makeTempDir();
		fs.chmodSync(jobsDir, 0o755);
		const sleeper = startProcess('sleep', ['600']);
		const lockFile = path.join(jobsDir, 'shared.lock');
		fs.writeFileSync(lockFile, '');
		const holder = startProcess('flock', [lockFile, 'sleep', '600']);
		expect(await waitFor(() => fs.readFileSync('/proc/locks', 'utf8').includes(` ${holder.pid} `))).toBe(true);
		const waiter = startProcess('flock', [lockFile, 'true']);
		silentJob(jobsDir, 'sleeper', sleeper.pid);
		silentJob(jobsDir, 'locked', waiter.pid);
		for (const name of ['sleeper', 'locked']) fs.chmodSync(path.join(jobsDir, name), 0o755);
		const {jobs, stderr} = await statusJson([jobsDir], args => runCliAsNobody(args, nobodyHome()));
		const unreadable = "its syscall file cannot be read (another user's process, without privilege): judged from its state alone";
		expect(jobs.get('sleeper')!.diagnosis, stderr).toEqual({kind: 'sleeping', pid: sleeper.pid, command: 'sleep 600', detail: `sleeps; ${unreadable}`});
		const inode = fs.statSync(lockFile).ino;
		expect(jobs.get('locked')!.diagnosis).toMatchObject({kind: 'waiting-on-lock', pid: waiter.pid});
		expect(jobs.get('locked')!.diagnosis!.detail).toMatch(new RegExp(`^flock on inode [\\da-f]+:[\\da-f]+:${inode}, held by pid ${holder.pid} \\(flock\\); ${unreadable.replaceAll(/[()]/g, '\\$&')}$`));
	});
});
