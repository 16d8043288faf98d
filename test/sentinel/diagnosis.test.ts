import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import type {Engine} from '../../source/sentinel/engine.js';
import type {Diagnosis, DiagnosisKind} from '../../source/types.js';
import {startTestEngine} from '../helpers/engine.js';
import {startNode, startProcess, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const hasPython = spawnSync('python3', ['-c', 'import ctypes'], {stdio: 'ignore'}).status === 0;

/**
 * The pid of the child of `parent` running `argv`, once it runs it. Matched on the whole command
 * line, not the name: a child forked to exec `sleep` is still named `sh` until it does.
 */
async function childRunning(parent: number, argv: string[]): Promise<number> {
	let found: number | undefined;
	const wanted = argv.join('\0');
	const children = () => fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	const runs = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '') === wanted;
	await waitFor(() => {
		found = children().find(pid => {
			try {
				return runs(pid);
			} catch {
				return false;
			}
		});
		return found !== undefined;
	});
	if (found === undefined) throw new Error(`no child of ${parent} runs ${argv.join(' ')}`);
	return found;
}

function diagnosisOf(engine: Engine, jobId: string): Diagnosis | null | undefined {
	return engine.getSnapshot().jobs.find(view => view.job.jobId === jobId)?.assessment?.diagnosis;
}

/** Wait until the job's diagnosis is of `kind`; fails naming the diagnosis it had instead. */
async function diagnosed(engine: Engine, jobId: string, kind: DiagnosisKind, timeoutMs = 15_000): Promise<Diagnosis> {
	const reached = await waitFor(() => diagnosisOf(engine, jobId)?.kind === kind, timeoutMs);
	expect(reached, `${jobId} diagnosed ${kind}; it was ${JSON.stringify(diagnosisOf(engine, jobId))}`).toBe(true);
	return diagnosisOf(engine, jobId)!;
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers; closed when the test ends. */
async function silentServer(): Promise<number> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => sockets.add(socket));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise(resolve => server.close(resolve));
	});
	return (server.address() as net.AddressInfo).port;
}

describe('the diagnosis of real processes (SPEC section 12)', () => {
	it('finds a prompt on a pipe nobody writes, naming the child a shell waits for', async () => {
		const jobsDir = makeTempDir();
		// The job is the inner shell: its standard input is a pipe whose writer (sleep) is outside
		// the job and never writes. The shell waits for cat, which reads: a prompt nobody will answer.
		const outer = startProcess('sh', ['-c', 'sleep 600 | sh -c "cat; echo done"']);
		const job = await childRunning(outer.pid!, ['sh', '-c', 'cat; echo done']);
		writeJob(jobsDir, 'prompt', {job_id: 'prompt', status: 'RUNNING', pid: job});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'prompt', 'waiting-for-input');
		expect(diagnosis).toMatchObject({pid: await childRunning(job, ['cat']), command: 'cat'});
		expect(diagnosis.detail).toBe('reads its standard input, a pipe nobody in the job writes');
		expect(fs.readlinkSync(`/proc/${diagnosis.pid}/fd/0`)).toMatch(/^pipe:/);
	});

	it('finds a prompt on the socket pair Node hands a child as its stdin pipe', async () => {
		const jobsDir = makeTempDir();
		// The test holds the other end and never writes.
		const shell = startProcess('sh', ['-c', 'cat; echo done'], {stdio: ['pipe', 'ignore', 'ignore']});
		writeJob(jobsDir, 'prompt', {job_id: 'prompt', status: 'RUNNING', pid: shell.pid});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'prompt', 'waiting-for-input');
		expect(diagnosis).toMatchObject({pid: await childRunning(shell.pid!, ['cat']), command: 'cat'});
		expect(diagnosis.detail).toBe('reads its standard input, a pipe nobody in the job writes');
	});

	it('does not take a pipe the job feeds itself for a prompt', async () => {
		const jobsDir = makeTempDir();
		const shell = startProcess('sh', ['-c', 'sleep 600 | cat; echo done']);
		writeJob(jobsDir, 'pipeline', {job_id: 'pipeline', status: 'RUNNING', pid: shell.pid});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'pipeline', 'sleeping');
		// Neither the shell nor cat: the deepest process that is not waiting for a child, or reading what it writes.
		expect(diagnosis.command).toBe('sleep 600');
		expect(diagnosis.detail).toBe('sleeps on a timer');
	});

	it('finds a job blocked on a file lock another process holds, naming the file and the holder', async () => {
		const jobsDir = makeTempDir();
		const lockFile = path.join(makeTempDir(), 'shared.lock');
		fs.writeFileSync(lockFile, '');
		const holder = startProcess('flock', [lockFile, 'sleep', '600']);
		expect(await waitFor(() => fs.readFileSync('/proc/locks', 'utf8').includes(` ${holder.pid} `))).toBe(true);
		const blocked = startProcess('flock', [lockFile, 'true']);
		writeJob(jobsDir, 'locked', {job_id: 'locked', status: 'RUNNING', pid: blocked.pid});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'locked', 'waiting-on-lock');
		expect(diagnosis).toMatchObject({pid: blocked.pid, command: `flock ${lockFile} true`});
		expect(diagnosis.detail).toBe(`flock on ${lockFile}, held by pid ${holder.pid} (flock)`);
	});

	it('finds a job waiting on a server that accepted and never answers, naming the peer', async () => {
		const jobsDir = makeTempDir();
		const port = await silentServer();
		// One client polls its socket (node's event loop), the other reads it (bash's read on /dev/tcp).
		const polling = startNode(`require('net').connect(${port}, '127.0.0.1').on('data', () => {})`);
		const reading = startProcess('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}; read -r line <&3`]);
		writeJob(jobsDir, 'polling', {job_id: 'polling', status: 'RUNNING', pid: polling.pid});
		writeJob(jobsDir, 'reading', {job_id: 'reading', status: 'RUNNING', pid: reading.pid});
		const {engine} = await startTestEngine(jobsDir);
		const polled = await diagnosed(engine, 'polling', 'waiting-on-network');
		expect(polled.pid).toBe(polling.pid);
		expect(polled.detail).toBe(`polls a socket connected to 127.0.0.1:${port}`);
		const read = await diagnosed(engine, 'reading', 'waiting-on-network');
		expect(read.detail).toBe(`reads a socket connected to 127.0.0.1:${port}`);
	});

	it('finds a stopped process (SIGSTOP), a spinner (busy) and a sleeper (sleeping)', async () => {
		const jobsDir = makeTempDir();
		const stopped = startProcess('sleep', ['600']);
		process.kill(stopped.pid!, 'SIGSTOP');
		const spinner = startNode('for (;;) {}');
		// Ahead of the rest of the suite on two cores (as root): a starved spinner is no busy hang.
		try {
			os.setPriority(spinner.pid!, -15);
		} catch {}
		const sleeper = startProcess('sleep', ['600']);
		writeJob(jobsDir, 'stopped', {job_id: 'stopped', status: 'RUNNING', pid: stopped.pid});
		writeJob(jobsDir, 'spinner', {job_id: 'spinner', status: 'RUNNING', pid: spinner.pid});
		writeJob(jobsDir, 'sleeper', {job_id: 'sleeper', status: 'RUNNING', pid: sleeper.pid});
		const {engine} = await startTestEngine(jobsDir, {cpuLimit: '15', cpuSamples: '3'});
		expect(await diagnosed(engine, 'stopped', 'stopped')).toMatchObject({pid: stopped.pid, command: 'sleep 600', detail: 'stopped by a signal (state T)'});
		const busy = await diagnosed(engine, 'spinner', 'busy');
		expect(busy.pid).toBe(spinner.pid);
		expect(busy.detail).toMatch(/^CPU \d+(\.\d)?%/);
		expect(await diagnosed(engine, 'sleeper', 'sleeping')).toMatchObject({pid: sleeper.pid, detail: 'sleeps on a timer'});
	});

	// A vfork parent waits for its child in uninterruptible sleep (state D) until the child execs or
	// exits: a child that pauses keeps it there, as a hung disk would, and SIGKILL still ends both.
	it.skipIf(!hasPython)('finds a process in uninterruptible sleep for 3 samples in a row (disk-wait)', async () => {
		const jobsDir = makeTempDir();
		const script = 'import ctypes\nlibc = ctypes.CDLL(None)\nif libc.vfork() == 0:\n    libc.pause()\n';
		const parent = startProcess('python3', ['-c', script]);
		expect(await waitFor(() => fs.readFileSync(`/proc/${parent.pid}/stat`, 'utf8').split(') ')[1]!.startsWith('D'))).toBe(true);
		writeJob(jobsDir, 'disk', {job_id: 'disk', status: 'RUNNING', pid: parent.pid});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'disk', 'disk-wait');
		expect(diagnosis.pid).toBe(parent.pid);
		expect(diagnosis.detail).toMatch(/^in uninterruptible sleep \(state D\) for [3-9] samples in a row/);
	});

	it('finds output that only repeats (looping-output), its detail the sample line', async () => {
		const jobsDir = makeTempDir();
		const dir = path.join(jobsDir, 'looping');
		fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
		const log = JSON.stringify(path.join(dir, 'logs', 'output.log'));
		// The same retry, a fresh timestamp and attempt each time: never a new line once normalised.
		const writer = startNode(`let n = 0; setInterval(() => require('fs').appendFileSync(${log}, new Date().toISOString() + ' rate limited, retrying in 30s (attempt ' + (n++ % 9) + '/10)\\n'), 100)`);
		writeJob(jobsDir, 'looping', {job_id: 'looping', status: 'RUNNING', pid: writer.pid});
		const {engine} = await startTestEngine(jobsDir);
		const diagnosis = await diagnosed(engine, 'looping', 'looping-output');
		expect(diagnosis).toMatchObject({pid: writer.pid});
		expect(diagnosis.detail).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z rate limited, retrying in 30s \(attempt \d\/10\)$/);
	});

	it('says ok for an active job, and gone for a job whose process is lost', async () => {
		const jobsDir = makeTempDir();
		const dir = path.join(jobsDir, 'active');
		fs.mkdirSync(dir, {recursive: true});
		const beat = path.join(dir, 'heartbeat');
		const writer = startNode(`setInterval(() => require('fs').writeFileSync(${JSON.stringify(beat)}, String(Date.now())), 100)`);
		writeJob(jobsDir, 'active', {job_id: 'active', status: 'RUNNING', pid: writer.pid});
		const gone = startProcess('true', []);
		await new Promise(resolve => gone.once('exit', resolve));
		writeJob(jobsDir, 'gone', {job_id: 'gone', status: 'RUNNING', pid: gone.pid});
		const {engine} = await startTestEngine(jobsDir);
		expect(await diagnosed(engine, 'gone', 'gone')).toMatchObject({pid: gone.pid, detail: `pid ${gone.pid} is gone`});
		expect(await diagnosed(engine, 'active', 'ok')).toMatchObject({pid: writer.pid, detail: 'active'});
	});

	it('raises the silence tier of a job waiting for input by one, as a busy hang does (SPEC section 4)', async () => {
		const jobsDir = makeTempDir();
		const prompt = startProcess('cat', [], {stdio: ['pipe', 'ignore', 'ignore']});
		const sleeper = startProcess('sleep', ['600']);
		writeJob(jobsDir, 'prompt', {job_id: 'prompt', status: 'RUNNING', pid: prompt.pid});
		writeJob(jobsDir, 'sleeper', {job_id: 'sleeper', status: 'RUNNING', pid: sleeper.pid});
		// Low at 2 s, medium at 3 s: tiers far enough apart that the raise cannot be a late tick.
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '4s', criticalTimeout: '20s', cadenceThreshold: '0'});
		const firstAbove = (jobId: string) => assessments.find(event => event.args[0].jobId === jobId && event.args[0].severity !== 'ok')?.args[0];
		expect(await waitFor(() => firstAbove('prompt') !== undefined && firstAbove('sleeper') !== undefined, 15_000)).toBe(true);
		const raised = firstAbove('prompt')!;
		expect(raised.severity).toBe('medium');
		expect(raised.evidence.find(signal => signal.name === 'silence')).toMatchObject({severity: 'low'});
		expect(raised.evidence.find(signal => signal.name === 'diagnosis')).toMatchObject({severity: 'medium', value: 'waiting-for-input'});
		expect(raised.diagnosis?.kind).toBe('waiting-for-input');
		// Its sleeping twin, silent as long, is only low.
		expect(firstAbove('sleeper')!.severity).toBe('low');
		expect(engine.getSnapshot().jobs.find(view => view.job.jobId === 'sleeper')!.assessment!.evidence.find(signal => signal.name === 'diagnosis')!.severity).toBe('ok');
	});
});
