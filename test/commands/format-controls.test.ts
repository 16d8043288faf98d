import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

// "Trojan Source" in job files: the bidi and format controls of SPEC section 10 in a job's id,
// description, command and output log, and in the audit log, through `status` and `log` of the
// built binary. Each job holds one of them, so each code point is checked on its own.

const codePoints = [0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff];
const controls = codePoints.map(code => String.fromCodePoint(code));
const anyControl = new RegExp(`[${controls.join('')}]`);
const label = (index: number) => `U+${codePoints[index]!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A jobs directory with one job a code point, `evil<cp>id-NN`, and an audit log naming each. */
function hostileJobs(): string {
	const jobsDir = makeTempDir('sentinel-bidi-');
	const audit: string[] = [];
	for (const [index, control] of controls.entries()) {
		const name = `job-${String(index).padStart(2, '0')}`;
		const jobId = `evil${control}id-${String(index).padStart(2, '0')}`;
		const dir = writeJob(jobsDir, name, {job_id: jobId, status: 'PENDING', description: `desc${control}ription`, command: `cmd${control} --flag`});
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), `out${control}put\n`);
		const ts = new Date(Date.UTC(2025, 2, 1, 12, 0, index)).toISOString();
		audit.push(JSON.stringify({ts, job_id: jobId, action: 'terminate', actor: 'user', severity: 'high', result: 'ok', action_id: `a-${index}`, reason: `because${control}reason`, evidence: [], pids: {signalled: [], killed: []}, sentinel: {pid: 1, host: 'h'}}));
	}
	fs.mkdirSync(path.join(jobsDir, '.sentinel'));
	fs.writeFileSync(path.join(jobsDir, '.sentinel', 'audit.jsonl'), `${audit.join('\n')}\n`);
	return jobsDir;
}

/** The code points of `controls` found in `text`, by name, so a failure says which got through. */
function found(text: string): string[] {
	return controls.flatMap((control, index) => (text.includes(control) ? [label(index)] : []));
}

describe('bidi and format controls from job files never reach the terminal', () => {
	test('status: the table and --json name each job without them, the same way', async () => {
		const jobsDir = hostileJobs();
		const [table, json] = await Promise.all([runCli(['status', jobsDir]), runCli(['status', '--json', jobsDir])]);
		expect(table.stderr).toBe('');
		expect(found(table.stdout)).toEqual([]);
		for (const index of controls.keys()) expect(table.stdout, label(index)).toContain(`│ evilid-${String(index).padStart(2, '0')} `);

		expect(found(json.stdout)).toEqual([]);
		const document = JSON.parse(json.stdout) as {jobs: Array<{job_id: string; dir: string}>};
		// JSON keeps ids whole but sanitized, as everywhere else: the id the table shows.
		expect(document.jobs.map(job => job.job_id).sort()).toEqual(controls.map((_, index) => `evilid-${String(index).padStart(2, '0')}`));
	});

	test('status --json writes a directory name holding them escaped: the parsed path is the real one', async () => {
		const jobsDir = makeTempDir('sentinel-bidi-dir-');
		const name = `dir${controls.join('')}name`;
		writeJob(jobsDir, name, {job_id: 'plain', status: 'PENDING'});
		const json = await runCli(['status', '--json', jobsDir]);
		expect(found(json.stdout)).toEqual([]);
		const document = JSON.parse(json.stdout) as {jobs: Array<{job_id: string; dir: string}>};
		expect(document.jobs[0]!.dir).toBe(path.join(jobsDir, name));
		expect(fs.existsSync(document.jobs[0]!.dir)).toBe(true);
	});

	test('log: readable lines strip them; --json escapes them and parses back to the entries', async () => {
		const jobsDir = hostileJobs();
		const [readable, json] = await Promise.all([runCli(['log', jobsDir]), runCli(['log', '--json', jobsDir])]);
		expect(readable.code).toBe(0);
		expect(found(readable.stdout)).toEqual([]);
		const lines = readable.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(controls.length);
		for (const [index, line] of lines.entries()) {
			expect(line, label(index)).toContain(`evilid-${String(index).padStart(2, '0')}`);
			expect(line, label(index)).toContain('becausereason');
		}

		expect(found(json.stdout)).toEqual([]);
		const entries = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {job_id: string; reason: string});
		expect(entries.map(entry => entry.job_id)).toEqual(controls.map((control, index) => `evil${control}id-${String(index).padStart(2, '0')}`));
		expect(anyControl.test(entries[0]!.reason)).toBe(true);
	});
});
