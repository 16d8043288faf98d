import fs from 'node:fs';
import path from 'node:path';
import type {ChildProcess} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {finished, packageJson, runCli, startCli} from '../helpers/cli.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

// End to end: `sentinel-tui --headless` as a real process, read line by line.

const fixtures = logistFixtures;
const logistJobs = {'test-job': 'test-job', test_error_job_sim: 'test_error_job_sim', test_poststep_job: 'sample-implementation'} as const;

type Event = {ts: string; type: string; job_id?: string; dir?: string; [field: string]: unknown};

/** Writable copies of the Logist job directories, every file 10 minutes old. */
function copyLogist(): string {
	const jobsDir = makeTempDir('sentinel-headless-');
	const when = new Date(Date.now() - 10 * 60_000);
	for (const name of Object.keys(logistJobs)) {
		const target = path.join(jobsDir, name);
		fs.cpSync(path.join(fixtures, name), target, {recursive: true});
		fs.chmodSync(target, 0o755);
		for (const file of fs.readdirSync(target)) {
			fs.chmodSync(path.join(target, file), 0o644);
			fs.utimesSync(path.join(target, file), when, when);
		}
	}
	return jobsDir;
}

/** A running `--headless`: every stdout line parsed as it comes, raw lines kept to check. */
function startHeadless(jobsDir: string, ...flags: string[]) {
	const child = startCli(['--headless', jobsDir, '--no-auto', '--interval', '250ms', ...flags]);
	const lines: string[] = [];
	const events: Event[] = [];
	let partial = '';
	child.stdout!.on('data', chunk => {
		partial += String(chunk);
		const complete = partial.split('\n');
		partial = complete.pop()!;
		for (const line of complete) {
			lines.push(line);
			events.push(JSON.parse(line) as Event);
		}
	});
	const exit = finished(child);
	const of = (type: string, jobId?: string) => events.filter(event => event.type === type && (jobId === undefined || event.job_id === jobId));
	const until = async (check: () => boolean, what: string) => {
		if (!(await waitFor(check, 10_000))) throw new Error(`timed out waiting for ${what}; got:\n${lines.join('\n')}`);
	};
	return {child, lines, events, of, until, exit};
}

async function stop(child: ChildProcess, exit: ReturnType<typeof finished>) {
	child.kill('SIGTERM');
	return exit;
}

describe('sentinel-tui --headless', () => {
	test('prints the jobs of a Logist directory as JSON lines, from sentinel.started to sentinel.stopped', async () => {
		const jobsDir = copyLogist();
		writeJob(jobsDir, 'broken', '{"job_id": "broken", "status": ');
		const run = startHeadless(jobsDir);
		await run.until(() => run.of('assessment').length >= 3 && run.of('job.invalid').length >= 1, 'the first assessments');

		const started = run.events[0]!;
		expect(started).toMatchObject({type: 'sentinel.started', version: packageJson.version, jobs_dir: jobsDir, auto: false, interval_ms: 250});
		for (const [name, jobId] of Object.entries(logistJobs)) {
			const dir = path.join(jobsDir, name);
			expect(run.of('job.added', jobId)).toEqual([expect.objectContaining({job_id: jobId, dir, valid: true, role: 'worker'})]);
			expect(run.of('assessment', jobId)).toEqual([expect.objectContaining({job_id: jobId, dir, severity: 'ok', previous_severity: null})]);
			const [assessment] = run.of('assessment', jobId);
			expect(assessment!['evidence']).toEqual(expect.arrayContaining([expect.objectContaining({name: 'silence', severity: 'ok', threshold: 15 * 60_000, message: expect.any(String)})]));
			// Diagnosed in a monitored status only (SPEC section 12): the one RUNNING job names no process.
			expect(assessment!['diagnosis']).toEqual(jobId === 'sample-implementation' ? expect.objectContaining({kind: 'sleeping', pid: null}) : null);
		}
		expect(run.of('job.added', 'sample-implementation')[0]).toMatchObject({status: 'RUNNING', pid: null});
		expect(run.of('job.invalid', 'broken')).toEqual([expect.objectContaining({dir: path.join(jobsDir, 'broken'), error: expect.stringMatching(/JSON/)})]);
		expect(run.of('assessment', 'broken')).toEqual([]);

		// Steady jobs over several ticks: still one assessment each, the first.
		const ticksLater = Date.now() + 1500;
		await waitFor(() => Date.now() >= ticksLater, 3000);
		expect(run.of('assessment')).toHaveLength(3);

		// A job that arrives is added; a job whose directory goes is removed.
		writeJob(jobsDir, 'newcomer', {job_id: 'newcomer', status: 'PENDING'});
		fs.rmSync(path.join(jobsDir, 'test-job'), {recursive: true});
		await run.until(() => run.of('job.added', 'newcomer').length === 1 && run.of('job.removed', 'test-job').length === 1, 'job.added and job.removed');
		expect(run.of('job.added', 'newcomer')[0]).toMatchObject({dir: path.join(jobsDir, 'newcomer'), status: 'PENDING'});
		expect(run.of('job.removed', 'test-job')[0]).toMatchObject({dir: path.join(jobsDir, 'test-job')});

		const {code, signal, stderr} = await stop(run.child, run.exit);
		expect({code, signal, stderr}).toEqual({code: 0, signal: null, stderr: ''});
		expect(run.events.at(-1)).toMatchObject({type: 'sentinel.stopped', signal: 'SIGTERM'});
		expect(run.of('sentinel.started')).toHaveLength(1);
		expect(run.of('sentinel.stopped')).toHaveLength(1);
		expect(run.lines.length).toBe(run.events.length);
		for (const event of run.events) {
			expect(typeof event.type).toBe('string');
			expect(event.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		}
		const known = new Set(['sentinel.started', 'job.added', 'job.removed', 'job.invalid', 'assessment', 'intervention', 'error', 'sentinel.stopped']);
		expect(run.events.filter(event => !known.has(event.type))).toEqual([]);
		// --no-auto never acts.
		expect(run.of('intervention')).toEqual([]);
	});

	test('an assessment line comes only when a severity or the diagnosis kind changes, each naming the severity before', async () => {
		const jobsDir = makeTempDir('sentinel-headless-');
		// T = 3 s: low at 1.5 s, medium at 2.25 s, high at 3 s; critical is an hour away.
		const run = startHeadless(jobsDir, '--worker-timeout', '3s');
		// Written once the sentinel runs, so a slow start cannot skip the first tiers.
		await run.until(() => run.of('sentinel.started').length === 1, 'sentinel.started');
		writeJob(jobsDir, 'going-quiet', {job_id: 'going-quiet', status: 'RUNNING', role: 'worker'});
		await run.until(() => run.of('assessment', 'going-quiet').some(event => event['severity'] === 'high'), 'the job to reach high');
		const highAt = Date.now();
		await waitFor(() => Date.now() >= highAt + 1250, 2000);
		const {code} = await stop(run.child, run.exit);
		expect(code).toBe(0);

		const changes = run.of('assessment', 'going-quiet');
		const order = ['ok', 'low', 'medium', 'high'];
		expect(changes[0]).toMatchObject({previous_severity: null, dir: path.join(jobsDir, 'going-quiet')});
		expect(changes.length).toBeGreaterThanOrEqual(2);
		expect(changes.at(-1)!['severity']).toBe('high');
		const kind = (line: Event) => (line['diagnosis'] as {kind: string}).kind;
		for (let index = 1; index < changes.length; index++) {
			const [before, now] = [changes[index - 1]!, changes[index]!];
			expect(now['previous_severity']).toBe(before['severity']);
			// The severity climbs, or it stands while what the job does changes (active, then asleep).
			if (now['severity'] === before['severity']) expect(kind(now)).not.toBe(kind(before));
			else expect(order.indexOf(now['severity'] as string)).toBeGreaterThan(order.indexOf(before['severity'] as string));
		}
		expect(changes.map(kind)).toContain('sleeping');
		const high = changes.at(-1)!;
		expect(high['evidence']).toEqual([expect.objectContaining({name: 'silence', severity: 'high', threshold: 3000}), expect.objectContaining({name: 'diagnosis', value: 'sleeping'})]);
	});
});

describe('sentinel-tui without a screen, and its arguments', () => {
	test('the dashboard without a TTY prints one line naming --headless and status, exit 2', async () => {
		const jobsDir = makeTempDir();
		const result = await runCli([jobsDir]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^[^\n]+\n$/);
		expect(result.stderr).toContain('--headless');
		expect(result.stderr).toContain('status');
	});

	test('a bad flag or value exits 2 with one line naming it, before anything starts', async () => {
		const jobsDir = makeTempDir();
		const cases: Array<[args: string[], naming: string]> = [
			[['--headless', '--bogus', jobsDir], '--bogus'],
			[[jobsDir, '--bogus'], '--bogus'],
			[['--headless', '--interval', 'x', jobsDir], '--interval'],
			[['--headless', jobsDir, '--grace'], '--grace'],
			[['--headless', '--grace', '1s', '--grace', '2s', jobsDir], '--grace'],
			[['--headless', '--webhook', 'not-a-url', jobsDir], '--webhook'],
		];
		const results = await Promise.all(cases.map(async ([args]) => runCli(args)));
		for (const [index, [args, naming]] of cases.entries()) {
			const result = results[index]!;
			expect({args, code: result.code, stdout: result.stdout}).toEqual({args, code: 2, stdout: ''});
			expect(result.stderr).toMatch(/^sentinel-tui: [^\n]+\n$/);
			expect(result.stderr).toContain(naming);
		}
		expect(fs.readdirSync(jobsDir)).toEqual([]);
	});

	test('--help and --version', async () => {
		const [help, version] = await Promise.all([runCli(['--help']), runCli(['--version'])]);
		expect(help.code).toBe(0);
		for (const text of ['Usage', '--headless', 'status [--json]', 'run [--id ID]', '--worker-timeout', '--no-auto', '--version']) expect(help.stdout).toContain(text);
		expect(version).toMatchObject({code: 0, stdout: `${packageJson.version}\n`, stderr: ''});
	});

	test('run without a command exits 2 with one line', async () => {
		const jobsDir = makeTempDir();
		for (const args of [['run', '--jobs-dir', jobsDir], ['run', '--jobs-dir', jobsDir, '--']]) {
			const {code, stderr} = await runCli(args);
			expect({code, stderr}).toEqual({code: 2, stderr: expect.stringMatching(/^sentinel-tui: [^\n]*command[^\n]*\n$/)});
		}
		expect(fs.readdirSync(jobsDir)).toEqual([]);
	});
});
