// Issue 14: a jobs directory that is a regular file ended every command with a stack trace, and
// `--interval 1ms` was taken (a core burnt on /proc). Both are a one-line error before anything
// starts: exit 3 for status, 2 for the rest (SPEC section 7), in a pipe and in a real terminal.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

/** One line on stderr, `sentinel-tui: ...`, holding `naming`; nothing on stdout. */
function expectOneLine(result: {stdout: string; stderr: string}, naming: string): void {
	expect(result.stdout).toBe('');
	expect(result.stderr).toMatch(/^sentinel-tui: [^\n]+\n$/);
	expect(result.stderr).toContain(naming);
}

/** A regular file where the jobs directory should be. */
function fileForJobsDir(): string {
	const file = path.join(makeTempDir('sentinel-not-a-dir-'), 'jobs');
	fs.writeFileSync(file, 'a file, not a folder\n');
	return file;
}

describe('a jobs directory that is a regular file', () => {
	it('status and status --json: one line on stderr, exit 3', async () => {
		const file = fileForJobsDir();
		for (const args of [['status', file], ['status', '--json', file], ['status', '--jobs-dir', file]]) {
			const result = await runCli(args);
			expect(result.code, args.join(' ')).toBe(3);
			expectOneLine(result, `${file} is not a directory`);
		}
	});

	it('--headless: one line on stderr, exit 2, no JSON line', async () => {
		const file = fileForJobsDir();
		const result = await runCli(['--headless', file]);
		expect(result.code).toBe(2);
		expectOneLine(result, `${file} is not a directory`);
	});

	it('the dashboard in a terminal: one line, exit 2, the screen left as it was', {timeout: 30_000}, async () => {
		const file = fileForJobsDir();
		const pane = await openShell(160, 20);
		const dashboard = runInShell(pane, [process.execPath, cliPath, file]);
		expect(await dashboard.exitCode()).toBe(2);
		expect(dashboard.output()).toEqual([`sentinel-tui: jobs directory ${file} is not a directory`]);
		expect(pane.display('#{alternate_on}')).toBe('0');
	});
});

describe('--interval has a floor of 100ms', () => {
	it('below it, from a flag or a config file: one line naming --interval, exit 3 for status and 2 for the rest', async () => {
		const jobsDir = makeTempDir('sentinel-interval-');
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		const config = path.join(makeTempDir('sentinel-config-'), 'config.json');
		fs.writeFileSync(config, JSON.stringify({interval: '1ms'}));
		const cases: Array<[args: string[], code: number]> = [
			[['status', '--interval', '1ms', jobsDir], 3],
			[['status', '--json', '--interval', '99ms', jobsDir], 3],
			[['status', '--config', config, jobsDir], 3],
			[['--headless', '--interval', '1ms', jobsDir], 2],
			[['--headless', '--config', config, jobsDir], 2],
			[['run', '--interval', '1ms', '--id', 'never', '--', 'true'], 2],
		];
		const results = await Promise.all(cases.map(async ([args]) => runCli(args)));
		for (const [index, [args, code]] of cases.entries()) {
			const result = results[index]!;
			expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(code);
			expectOneLine(result, '--interval');
		}
		expect(fs.readdirSync(jobsDir), 'nothing started').toEqual(['calm']);
	});

	it('the dashboard with --interval 1ms: one line naming --interval, exit 2', {timeout: 30_000}, async () => {
		const jobsDir = makeTempDir('sentinel-interval-');
		const pane = await openShell(160, 20);
		const dashboard = runInShell(pane, [process.execPath, cliPath, jobsDir, '--interval', '1ms']);
		expect(await dashboard.exitCode()).toBe(2);
		const output = dashboard.output();
		expect(output).toHaveLength(1);
		expect(output[0]).toMatch(/^sentinel-tui: --interval: .*1ms.* floor of 100ms$/);
	});

	it('100ms is accepted: status checks, --headless runs at that interval', async () => {
		const jobsDir = makeTempDir('sentinel-interval-');
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		const status = await runCli(['status', '--json', '--interval', '100ms', jobsDir]);
		expect({code: status.code, stderr: status.stderr}).toEqual({code: 0, stderr: ''});
		expect((JSON.parse(status.stdout) as {jobs: unknown[]}).jobs).toHaveLength(1);

		const sentinel = startSentinel(jobsDir, ['--interval', '100ms', '--no-auto']);
		const started = await sentinel.waitForLine(line => line.type === 'sentinel.started');
		expect(started['interval_ms']).toBe(100);
		await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'calm');
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
		expect(sentinel.stderr()).toBe('');
	});
});
