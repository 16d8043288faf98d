import fs from 'node:fs';
import path from 'node:path';
import {EventEmitter} from 'node:events';
import {PassThrough} from 'node:stream';
import {describe, expect, onTestFinished, test} from 'vitest';
import {restartDelayMs, runCommand, type RunOptions} from '../../source/commands/run/run.js';
import {updateManifest} from '../../source/jobs/update-manifest.js';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {startProcess, waitFor} from '../helpers/processes.js';

type Manifest = Record<string, any>;

function collect(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return {stream, text: () => text};
}

/** runCommand with test streams, a stand-in signal source, fast backoff, and every start cleaned up. */
function startRun(jobsDir: string, options: Partial<RunOptions> & {command: string[]}) {
	const stdout = collect();
	const stderr = collect();
	const signals = new EventEmitter();
	const starts: number[] = [];
	const exit = runCommand({
		jobsDir,
		role: 'worker',
		retries: 0,
		backoffMs: () => 20,
		stdout: stdout.stream,
		stderr: stderr.stream,
		signals,
		onStart({pid}) {
			starts.push(pid);
			onTestFinished(() => {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {}
			});
		},
		...options,
	});
	return {exit, stdout: stdout.text, stderr: stderr.text, signals, starts};
}

function readManifest(jobsDir: string, id: string): Manifest {
	return JSON.parse(fs.readFileSync(path.join(jobsDir, id, 'job_manifest.json'), 'utf8')) as Manifest;
}

function events(manifest: Manifest): string[] {
	return (manifest['history'] as Manifest[]).map(entry => entry['event'] as string);
}

// A zombie waiting for a parent that never reaps it is gone as far as the job is concerned.
function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

/** What the sentinel does on recover or terminate: the status first, then the signal. */
async function actLikeSentinel(jobsDir: string, id: string, pid: number, status: string): Promise<void> {
	const result = await updateManifest(path.join(jobsDir, id, 'job_manifest.json'), current => ({
		...current,
		status,
		history: [...(current['history'] as unknown[]), {event: 'SENTINEL_RECOVERY', timestamp: new Date().toISOString(), new_status: status}],
	}));
	expect(result.outcome).toBe('written');
	process.kill(-pid, 'SIGTERM');
}

describe('runCommand', () => {
	test('records SUCCESS and exits 0 when the command succeeds', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'ok', command: ['true']});
		expect(await run.exit).toBe(0);
		const manifest = readManifest(jobsDir, 'ok');
		expect(manifest).toMatchObject({job_id: 'ok', status: 'SUCCESS', exit_code: 0, role: 'worker', command: 'true', process_id: run.starts[0]});
		expect(events(manifest)).toEqual(['JOB_STARTED', 'JOB_COMPLETED']);
		expect(manifest['signal']).toBeUndefined();
		// Naive local, as Logist writes them (SPEC section 2); process_start is the sentinel's own.
		for (const field of ['created_at', 'updated_at']) expect(manifest[field]).toMatch(/^[\d-]+T[\d:]+\.\d{6}$/);
		expect(manifest['process_start']).toMatch(/T.*Z$/);
	});

	test('passes the exit code through and records FAILED', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'three', role: 'supervisor', command: ['sh', '-c', 'exit 3']});
		expect(await run.exit).toBe(3);
		const manifest = readManifest(jobsDir, 'three');
		expect(manifest).toMatchObject({status: 'FAILED', exit_code: 3, role: 'supervisor', command: "sh -c 'exit 3'"});
		expect(events(manifest)).toEqual(['JOB_STARTED', 'JOB_FAILED']);
	});

	test('a command killed by a signal exits 128 + its number and records the signal', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'killed', command: ['sh', '-c', 'kill -KILL $$']});
		expect(await run.exit).toBe(137);
		expect(readManifest(jobsDir, 'killed')).toMatchObject({status: 'FAILED', exit_code: 137, signal: 'SIGKILL'});
	});

	test('output reaches the terminal streams and logs/output.log', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'talk', command: ['sh', '-c', 'echo to-out; echo to-err >&2; echo more-out']});
		expect(await run.exit).toBe(0);
		expect(run.stdout()).toBe('to-out\nmore-out\n');
		expect(run.stderr()).toContain('to-err\n');
		const log = fs.readFileSync(path.join(jobsDir, 'talk', 'logs', 'output.log'), 'utf8');
		expect(log.split('\n').sort()).toEqual(['', 'more-out', 'to-err', 'to-out']);
	});

	test('the manifest says RUNNING with the command\'s own pid and start before the command runs', async () => {
		const jobsDir = makeTempDir();
		const manifestPath = path.join(jobsDir, 'early', 'job_manifest.json');
		// The shell is the command itself (so $$ is its pid) and reads its manifest at once.
		const run = startRun(jobsDir, {id: 'early', command: ['sh', '-c', 'cat "$0" && echo "$$ $SENTINEL_JOB_ID"', manifestPath]});
		expect(await run.exit).toBe(0);
		const output = run.stdout();
		const seen = JSON.parse(output.slice(0, output.lastIndexOf('}') + 1)) as Manifest;
		const [pid, id] = output.slice(output.lastIndexOf('}') + 1).trim().split(' ');
		expect(seen).toMatchObject({status: 'RUNNING', process_id: Number(pid), job_id: 'early'});
		expect(id).toBe('early');
		expect(seen['process_id']).toBe(run.starts[0]);
		expect(Math.abs(Date.parse(seen['process_start'] as string) - Date.now())).toBeLessThan(10_000);
	});

	test('SIGTERM it receives stops the whole process group', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'tree', command: ['sh', '-c', 'sleep 30 & echo $!; wait']});
		expect(await waitFor(() => run.stdout().includes('\n'))).toBe(true);
		const childPid = Number(run.stdout().trim());
		const parentPid = run.starts[0]!;
		expect(running(childPid)).toBe(true);
		run.signals.emit('SIGTERM');
		expect(await run.exit).toBe(143);
		expect(await waitFor(() => !running(childPid) && !running(parentPid), 5000)).toBe(true);
		expect(readManifest(jobsDir, 'tree')).toMatchObject({status: 'FAILED', exit_code: 143, signal: 'SIGTERM'});
	});

	test('a recovery by the sentinel restarts the command while retries last', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'again', retries: 1, command: ['sleep', '30']});
		expect(await waitFor(() => run.starts.length === 1)).toBe(true);
		await actLikeSentinel(jobsDir, 'again', run.starts[0]!, 'PENDING');
		expect(await waitFor(() => run.starts.length === 2 && readManifest(jobsDir, 'again')['process_id'] === run.starts[1])).toBe(true);
		const restarted = readManifest(jobsDir, 'again');
		expect(restarted).toMatchObject({status: 'RUNNING', process_id: run.starts[1]});
		expect(events(restarted)).toEqual(['JOB_STARTED', 'SENTINEL_RECOVERY', 'JOB_RESTARTED']);
		expect(run.stderr()).toContain('restart 1 of 1');

		await actLikeSentinel(jobsDir, 'again', run.starts[1]!, 'PENDING');
		expect(await run.exit).toBe(143);
		expect(run.starts).toHaveLength(2);
		expect(readManifest(jobsDir, 'again')['status']).toBe('PENDING');
		expect(run.stderr()).toContain('no retries left');
	});

	test('with --retries 0 a recovered job is left PENDING', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'once', retries: 0, command: ['sleep', '30']});
		expect(await waitFor(() => run.starts.length === 1)).toBe(true);
		await actLikeSentinel(jobsDir, 'once', run.starts[0]!, 'PENDING');
		expect(await run.exit).toBe(143);
		expect(run.starts).toHaveLength(1);
		const manifest = readManifest(jobsDir, 'once');
		expect(manifest['status']).toBe('PENDING');
		expect(manifest['exit_code']).toBeUndefined();
	});

	test('a status the sentinel set is never overwritten, nor retried', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'stopped', retries: 3, command: ['sleep', '30']});
		expect(await waitFor(() => run.starts.length === 1)).toBe(true);
		await actLikeSentinel(jobsDir, 'stopped', run.starts[0]!, 'INTERVENTION_REQUIRED');
		expect(await run.exit).toBe(143);
		expect(run.starts).toHaveLength(1);
		const manifest = readManifest(jobsDir, 'stopped');
		expect(manifest['status']).toBe('INTERVENTION_REQUIRED');
		expect(events(manifest)).toEqual(['JOB_STARTED', 'SENTINEL_RECOVERY']);
	});

	test('waits for a busy job lock before recording the end', async () => {
		const jobsDir = makeTempDir();
		const lockFile = path.join(jobsDir, 'locked', '.lock');
		let locker: ReturnType<typeof startProcess> | undefined;
		const run = startRun(jobsDir, {
			id: 'locked',
			command: ['sleep', '0.3'],
			onStart({pid}) {
				onTestFinished(() => {
					try {
						process.kill(-pid, 'SIGKILL');
					} catch {}
				});
				// Another process holds the lock when the command ends.
				locker = startProcess('flock', [lockFile, 'sleep', '1']);
			},
		});
		expect(await run.exit).toBe(0);
		expect(running(locker!.pid!)).toBe(false);
		expect(run.stderr()).not.toContain('not marked');
		expect(readManifest(jobsDir, 'locked')['status']).toBe('SUCCESS');
	});

	test('warns once when no sentinel holds the leader lock', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {id: 'alone', retries: 1, command: ['sleep', '30']});
		expect(await waitFor(() => run.starts.length === 1)).toBe(true);
		await actLikeSentinel(jobsDir, 'alone', run.starts[0]!, 'PENDING');
		expect(await waitFor(() => run.starts.length === 2)).toBe(true);
		run.signals.emit('SIGINT');
		expect(await run.exit).toBe(130);
		expect(run.stderr().match(/no sentinel acts on/g)).toHaveLength(1);
	});

	test('does not warn while a sentinel holds the leader lock', async () => {
		const jobsDir = makeTempDir();
		const lock = path.join(jobsDir, '.sentinel', 'leader.lock');
		fs.mkdirSync(path.dirname(lock), {recursive: true});
		const holder = startProcess('flock', ['--exclusive', lock, 'sh', '-c', 'echo held; exec sleep 30'], {stdio: ['ignore', 'pipe', 'ignore']});
		let held = false;
		holder.stdout!.on('data', () => (held = true));
		expect(await waitFor(() => held)).toBe(true);
		const run = startRun(jobsDir, {id: 'watched', command: ['true']});
		expect(await run.exit).toBe(0);
		expect(run.stderr()).not.toContain('no sentinel');
	});

	test('makes up an id from the command name and refuses an unsafe one', async () => {
		const jobsDir = makeTempDir();
		const run = startRun(jobsDir, {command: ['/bin/true']});
		expect(await run.exit).toBe(0);
		expect(fs.readdirSync(jobsDir).filter(name => !name.startsWith('.'))).toEqual([expect.stringMatching(/^true-[0-9a-f]{4}$/)]);

		for (const id of ['../escape', '.hidden', 'a/b', '']) {
			const bad = startRun(jobsDir, {id, command: ['true']});
			expect(await bad.exit).toBe(2);
			expect(bad.stderr()).toContain('--id');
			expect(bad.starts).toHaveLength(0);
		}
	});

	test('an --id used before is taken over, keeping its history; a live one is refused', async () => {
		const jobsDir = makeTempDir();
		expect(await startRun(jobsDir, {id: 'nightly', command: ['true']}).exit).toBe(0);
		expect(await startRun(jobsDir, {id: 'nightly', command: ['sh', '-c', 'exit 4']}).exit).toBe(4);
		expect(events(readManifest(jobsDir, 'nightly'))).toEqual(['JOB_STARTED', 'JOB_COMPLETED', 'JOB_STARTED', 'JOB_FAILED']);
		expect(readManifest(jobsDir, 'nightly')['exit_code']).toBe(4);

		const live = startRun(jobsDir, {id: 'busy', command: ['sleep', '30']});
		expect(await waitFor(() => live.starts.length === 1)).toBe(true);
		const second = startRun(jobsDir, {id: 'busy', command: ['true']});
		expect(await second.exit).toBe(125);
		expect(second.stderr()).toContain(`its process ${live.starts[0]} still runs`);
		expect(readManifest(jobsDir, 'busy')['process_id']).toBe(live.starts[0]);
		live.signals.emit('SIGTERM');
		expect(await live.exit).toBe(143);
	});

	test('backs off 1 s, doubling, up to 60 s', () => {
		expect([1, 2, 3, 6, 7, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 32_000, 60_000, 60_000]);
	});
});
