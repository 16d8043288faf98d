// `sentinel-tui log --evidence ACTION_ID` (SPEC section 15): one action's evidence file, readable
// (every string sanitised) or as JSON; one line and exit 1 when there is none.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {AuditLog, auditEntry} from '../../source/sentinel/act/audit-log.js';
import {createInterventions} from '../../source/sentinel/act/intervention-runner.js';
import {evidenceName} from '../../source/sentinel/act/evidence/evidence-folder.js';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import {runCli} from '../helpers/cli.js';
import {startTestEngine} from '../helpers/engine.js';
import {terminateJob} from '../helpers/evidence-tree.js';
import {processStart} from '../helpers/job-faults.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const secret = 'pw-value-31415926';

/** A terminated job whose evidence holds a secret on a command line and an escape sequence in its output. */
async function terminatedJob() {
	const jobsDir = makeTempDir();
	const pid = startProcess('sh', ['-c', 'sleep 300; :', 'agent', '--password', secret]).pid!;
	expect(await waitFor(() => readProcess(pid)?.state === 'S', 5000)).toBe(true);
	const dir = writeJob(jobsDir, 'stuck', {job_id: 'stuck', status: 'RUNNING', pid, process_start: processStart(pid)});
	fs.writeFileSync(path.join(dir, 'run.log'), 'working\n\u001B[2J\u001B]0;pwned\u0007cleared the screen\n');
	const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, {interventions: createInterventions});
	const entry = await terminateJob(engine, 'stuck');
	await engine.stop();
	expect(entry['evidence_file'], entry.reason).toEqual(expect.any(String));
	return {jobsDir, entry, pid};
}

describe('sentinel-tui log --evidence', () => {
	it('prints an action\'s evidence readable, by a prefix of its id, secrets hidden and escapes stripped; --json prints the file', {timeout: 60_000}, async () => {
		const {jobsDir, entry, pid} = await terminatedJob();
		const listed = await runCli(['log', jobsDir]);
		expect(listed.stdout).toContain(`evidence: --evidence ${entry.action_id.slice(0, 8)}`);

		const readable = await runCli(['log', '--evidence', entry.action_id.slice(0, 8), jobsDir]);
		expect(readable, readable.stderr).toMatchObject({code: 0, stderr: ''});
		const text = readable.stdout;
		expect(text).toContain(`terminate of job stuck (user, `);
		// The shell and its sleep.
		expect(text).toContain('Processes (2):');
		expect(text).toContain(`pid ${pid} `);
		expect(text).toContain('command: sh -c sleep 300; : agent --password ***');
		expect(text).toContain('Output run.log (last 2 lines):');
		expect(text).toContain('  cleared the screen');
		expect(text).toContain('Manifest as it was:');
		expect(text).not.toContain(secret);
		// eslint-disable-next-line no-control-regex
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);

		const json = await runCli(['log', '--evidence', entry.action_id, '--json', jobsDir]);
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toEqual(JSON.parse(fs.readFileSync(entry['evidence_file'] as string, 'utf8')));
	});

	it('keeps evidence for the recover command too: its printed entry names the file, which log --evidence reads', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const pid = startProcess('sleep', ['300']).pid!;
		expect(await waitFor(() => readProcess(pid)?.name === 'sleep', 5000)).toBe(true);
		const dir = writeJob(jobsDir, 'build', {job_id: 'build', status: 'RUNNING', pid, process_start: processStart(pid)});
		const result = await runCli(['recover', 'build', '--yes', '--json', '--jobs-dir', jobsDir, '--grace', '1s']);
		expect(result.code, result.stderr).toBe(0);
		const printed = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(printed).toMatchObject({action: 'recover', actor: 'user', result: 'ok', evidence_file: expect.stringContaining(path.join(dir, '.sentinel', 'evidence', ''))});
		const shown = await runCli(['log', '--evidence', String(printed['action_id']), '--json', jobsDir]);
		expect(JSON.parse(shown.stdout)).toMatchObject({action: 'recover', actor: 'user', processes: [{pid, command: 'sleep 300'}], manifest: {status: 'RUNNING'}});
	});

	it('says in one line, exit code 1, that an action is unknown, or kept no evidence and why', {timeout: 30_000}, async () => {
		const jobsDir = makeTempDir();
		const log = new AuditLog(path.join(jobsDir, '.sentinel', 'audit.jsonl'));
		const base = {job_id: 'gone', action: 'terminate' as const, actor: 'auto' as const, severity: 'critical' as const, evidence: []};
		log.append(auditEntry({...base, result: 'ok', reason: 'stopped', action_id: 'abcdef12-0000', evidence_error: 'evidence not kept: cannot create /x/.sentinel: no space left on device'}));
		log.append(auditEntry({...base, result: 'ok', reason: 'no pid: no signal', action_id: 'fedcba98-0000'}));

		for (const [id, said] of [
			['0badc0de', /^sentinel-tui: no action 0badc0de in the audit log .*\n$/],
			['abcdef12', /^sentinel-tui: action abcdef12: evidence not kept: .*no space left on device\n$/],
			['fedcba98-0000', /^sentinel-tui: action fedcba98-0000 kept no evidence .*\n$/],
		] as const) {
			const result = await runCli(['log', '--evidence', id, jobsDir]);
			expect(result, id).toMatchObject({code: 1, stdout: ''});
			expect(result.stderr, id).toMatch(said);
		}
	});

	it('refuses, unread, what the job\'s owner put in place of an evidence file: over 1 MiB, a FIFO, a link', {timeout: 30_000}, async () => {
		const jobsDir = makeTempDir();
		const folder = path.join(jobsDir, 'job', '.sentinel', 'evidence');
		fs.mkdirSync(folder, {recursive: true});
		const log = new AuditLog(path.join(jobsDir, '.sentinel', 'audit.jsonl'));
		const planted = {
			'1b1b1b1b-0000': [(file: string) => fs.truncateSync((fs.writeFileSync(file, ''), file), 1024 * 1024 + 1), /: larger than 1048576 bytes: not read\n$/],
			'f1f0f1f0-0000': [(file: string) => execFileSync('mkfifo', [file]), /is not a regular file\n$/],
			'11111111-0000': [(file: string) => fs.symlinkSync('/etc/hostname', file), /is a symbolic link: never followed/],
		} as const;
		for (const [id, [plant, said]] of Object.entries(planted)) {
			const file = path.join(folder, evidenceName(Date.now(), 'terminate', id));
			plant(file);
			log.append(auditEntry({job_id: 'job', action: 'terminate', actor: 'auto', severity: 'critical', evidence: [], result: 'ok', reason: 'stopped', action_id: id, evidence_file: file}));
			const result = await runCli(['log', '--evidence', id, jobsDir]);
			expect(result, id).toMatchObject({code: 1, stdout: ''});
			expect(result.stderr, id).toMatch(said);
		}
	});
});
