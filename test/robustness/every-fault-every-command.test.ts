// Issue 14, "done when": every command against one jobs directory holding every fault the issue
// names at once, run as nobody (so a folder of mode 000 is unreadable, as it is to a real
// sentinel user). Each command exits with its documented code (SPEC section 7), prints no stack
// trace, and lets no escape sequence or bidi control from a job file reach its output.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {startHeadlessAs} from '../helpers/headless-as.js';
import {age, fileFacts, linkLockOutside, nestedManifest, startSleeper, writeLinkLoop, writeSilentJob} from '../helpers/job-faults.js';
import {asNobody, giveToNobody, isRoot, nobodyHome, runCliAsNobody} from '../helpers/nobody.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import type {Finished} from '../helpers/cli.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const stackLine = /^\s+at /m;
const rlo = '\u202E';
const escape = '\u001B';
/** What a job file may not put on anyone's terminal: ESC, the bidi override, and what else SPEC section 10 lists. */
const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
/** A 10,000-character job_id that would recolour the terminal, retitle it, and reverse what follows. */
const evilId = `evil${rlo}gnp.exe${escape}[31mred${escape}[0m${escape}]0;pwned\u0007${'x'.repeat(10_000)}`;

const invalidJobs = {
	loop: /a link loop/,
	walled: /permission denied/,
	deep: /nests deeper than 64 levels/,
	fifo: /not a regular file/,
	binary: /binary/,
	broken: /not JSON/,
} as const;

/** Every fault at once, owned by nobody; the `.lock` link leads to a file outside. */
async function everyFault() {
	const jobsDir = makeTempDir('sentinel-every-fault-');
	const outside = makeTempDir('sentinel-outside-');
	writeLinkLoop(jobsDir, 'loop');
	writeJob(jobsDir, 'walled', {job_id: 'walled', status: 'RUNNING'});
	writeJob(jobsDir, 'deep', nestedManifest({job_id: 'deep', status: 'RUNNING'}, 100_000));
	const fifoDir = path.join(jobsDir, 'fifo');
	fs.mkdirSync(fifoDir);
	execFileSync('mkfifo', [path.join(fifoDir, 'job_manifest.json')]);
	// Old: a new, empty manifest would be waited for as one whose first write has not landed.
	age(path.join(fifoDir, 'job_manifest.json'), 60_000);
	const binary = path.join(writeJob(jobsDir, 'binary', ''), 'job_manifest.json');
	fs.writeFileSync(binary, Buffer.concat([Buffer.from(`{"job_id": "${escape}[2J${rlo}`), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b, 0x5b, 0x48]), Buffer.from('"}')]));
	// JSON.parse quotes the text around the error: raw controls in it would reach the reason.
	writeJob(jobsDir, 'broken', `{"job_id": "${escape}]0;pwned\u0007${rlo}", oops`);
	writeJob(jobsDir, 'evil', {job_id: evilId, status: 'RUNNING', description: `${escape}[2J${rlo}hidden`, last_activity: new Date().toISOString()});
	writeJob(jobsDir, 'ahead', {job_id: 'ahead', status: 'RUNNING', last_activity: new Date(Date.now() + 3_600_000).toISOString()});
	const pid = await startSleeper({asNobody: true});
	const linkedDir = writeSilentJob(jobsDir, 'linked', pid);
	const target = linkLockOutside(linkedDir, outside);
	giveToNobody(jobsDir);
	fs.chmodSync(path.join(jobsDir, 'walled'), 0o000);
	return {jobsDir, pid, target, targetFacts: fileFacts(target), home: nobodyHome()};
}

/** No trace, no unsafe character, on either stream. */
function expectClean(name: string, result: {stdout: string; stderr: string}): void {
	for (const [stream, text] of Object.entries({stdout: result.stdout, stderr: result.stderr})) {
		expect(text, `${name} ${stream}`).not.toMatch(stackLine);
		const found = unsafe.exec(text);
		expect(found && `U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 40))}`, `${name} ${stream}`).toBeNull();
	}
}

function codeOf(name: string, result: Finished, code: number): void {
	expect(result.code, `${name}: ${result.stderr.slice(0, 2000)}`).toBe(code);
}

function linkedFailures(jobsDir: string): number {
	return readAudit(jobsDir).filter(entry => entry.job_id === 'linked' && entry.result === 'failed').length;
}

type StatusJob = {job_id: string; valid: boolean; error: string | null; severity: string | null};

describe.skipIf(!isRoot)('every command against a jobs directory holding every fault', () => {
	it('status, status --json, --headless, the dashboard, log, log --json and run: documented exit codes, no trace, nothing unsafe printed', {timeout: 120_000}, async () => {
		const faults = await everyFault();
		const {jobsDir, home} = faults;

		// status: the invalid jobs make 1; the future stamp is said once on stderr.
		const [table, json] = await Promise.all([runCliAsNobody(['status', jobsDir], home), runCliAsNobody(['status', '--json', jobsDir], home)]);
		for (const [name, result] of Object.entries({status: table, 'status --json': json})) {
			codeOf(name, result, 1);
			expectClean(name, result);
			expect(result.stderr.match(/ahead: activity stamp .* is in the future/g), name).toHaveLength(1);
		}
		const rows = table.stdout.split('\n');
		for (const [name, reason] of Object.entries(invalidJobs)) expect(rows.find(row => row.startsWith(`│ ${name} `)), name).toMatch(reason);
		expect(rows.find(row => row.startsWith('│ evil')), 'the evil id, cut').toMatch(/^│ evilgnp\.exeredx+…x+ │/);
		// The id is cut in the table: not 10,000 characters of box drawing on every row.
		expect(table.stdout.length).toBeLessThan(10_000);
		const document = JSON.parse(json.stdout) as {jobs: StatusJob[]};
		const byId = new Map(document.jobs.map(job => [job.job_id, job]));
		for (const [name, reason] of Object.entries(invalidJobs)) expect(byId.get(name), name).toMatchObject({valid: false, error: expect.stringMatching(reason)});
		expect(byId.get('ahead')).toMatchObject({valid: true, severity: 'ok'});
		expect(byId.get('linked')).toMatchObject({valid: true, severity: 'ok'});
		const evil = document.jobs.find(job => job.job_id.startsWith('evil'))!;
		// Whole in JSON, but clean: stripped (the title sequence with its text), not just escaped by JSON.stringify.
		expect(evil.job_id).toBe(`evilgnp.exered${'x'.repeat(10_000)}`);
		expect(document.jobs).toHaveLength(Object.keys(invalidJobs).length + 3);

		// --headless for a few seconds: every invalid job said, the lock link failed and audited, then SIGTERM: exit 0.
		const headlessFlags = ['--worker-timeout', '3s', '--interval', '250ms', '--grace', '1s'];
		const sentinel = startHeadlessAs(asNobody, jobsDir, headlessFlags, home);
		for (const [name, reason] of Object.entries(invalidJobs)) {
			const line = await sentinel.waitForLine(`job.invalid for ${name}`, line => line.type === 'job.invalid' && line['job_id'] === name);
			expect(line['error'], name).toMatch(reason);
		}
		// A few seconds: the third refusal of the lock link comes after two waits, one interval doubling.
		const refusals = () => sentinel.lines.filter(line => line.type === 'intervention' && line['job_id'] === 'linked' && line['result'] === 'failed').length;
		await sentinel.waitForLine('the lock link refused three times', () => refusals() >= 3);
		await sentinel.waitForLine('the future stamp said', line => line.type === 'error' && /ahead: activity stamp/.test(String(line['error'])));
		const headless = await sentinel.stop();
		expect(headless).toEqual({code: 0, signal: null});
		expect(sentinel.lines.filter(line => line.type === 'unparsed')).toEqual([]);
		expect(sentinel.lines.at(-1)?.type).toBe('sentinel.stopped');
		expectClean('--headless', {stdout: sentinel.lines.map(line => JSON.stringify(line)).join('\n'), stderr: sentinel.stderr()});
		expect(sentinel.lines.filter(line => line.type === 'error').length, 'errors said once, not every tick').toBeLessThan(10);

		// The dashboard, as nobody in a real terminal, for a few seconds, then q: exit 0.
		const pane = await openShell(160, 40);
		const dashboard = runInShell(pane, ['env', `HOME=${home}`, ...asNobody, process.execPath, cliPath, jobsDir, ...headlessFlags]);
		const dashboardPid = await dashboard.pid();
		const shown = await pane.waitFor('every job on the dashboard', screen => [...Object.keys(invalidJobs), 'linked', 'ahead', 'evilgnp'].every(id => screen.some(row => row.includes(` ${id}`))), {timeoutMs: 20_000});
		expect(shown.join('\n')).not.toMatch(stackLine);
		// A few seconds here too: until this dashboard has refused the lock link twice itself.
		const auditedBefore = linkedFailures(jobsDir);
		expect(await waitFor(() => linkedFailures(jobsDir) >= auditedBefore + 2, 20_000), 'two refusals by the dashboard').toBe(true);
		await pane.waitFor('the lock link in the intervention log', rows => rows.some(row => /recover +linked +failed/.test(row)));
		expect(isAlive(dashboardPid)).toBe(true);
		const screen = pane.capture().join('\n');
		expect(screen).not.toContain(rlo);
		expect(screen).not.toMatch(stackLine);
		pane.press('q');
		expect(await dashboard.exitCode()).toBe(0);
		expect(dashboard.output().join('\n')).not.toMatch(stackLine);

		// log and log --json: the entries the two runs wrote, readable, clean, exit 0.
		const [log, logJson] = await Promise.all([runCliAsNobody(['log', jobsDir], home), runCliAsNobody(['log', '--json', jobsDir], home)]);
		for (const [name, result] of Object.entries({log, 'log --json': logJson})) {
			codeOf(name, result, 0);
			expectClean(name, result);
		}
		expect(log.stdout).toMatch(/linked +recover +auto +high +failed/);
		const entries = logJson.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {job_id: string; result: string});
		expect(entries.some(entry => entry.job_id === 'linked' && entry.result === 'failed')).toBe(true);

		// run: a command made a job in the same directory, and its exit code passed on.
		const run = await runCliAsNobody(['run', '--id', 'ok', '--jobs-dir', jobsDir, '--', 'true'], home);
		codeOf('run', run, 0);
		expectClean('run', run);
		expect((JSON.parse(fs.readFileSync(path.join(jobsDir, 'ok', 'job_manifest.json'), 'utf8')) as {status: string}).status).toBe('SUCCESS');

		// Through it all: the lock's target untouched, the linked job's process never signalled.
		expect(fileFacts(faults.target)).toBe(faults.targetFacts);
		expect(isAlive(faults.pid)).toBe(true);
	});
});
