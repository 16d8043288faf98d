import fs from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, test} from 'vitest';
import {formatAuditEntry, runLog} from '../../source/commands/log.js';
import {AuditLog, auditEntry} from '../../source/sentinel/act/audit-log.js';
import type {AuditEntry} from '../../source/types.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {waitFor} from '../helpers/processes.js';

function capture(): {stream: PassThrough; text: () => string} {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', chunk => (text += String(chunk)));
	return {stream, text: () => text};
}

function entry(jobId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
	return auditEntry({job_id: jobId, action: 'terminate', actor: 'auto', severity: 'critical', result: 'ok', reason: 'silent for 1h 2m', evidence: [], ...extra});
}

function logFile(): string {
	return path.join(makeTempDir(), '.sentinel', 'audit.jsonl');
}

describe('sentinel-tui log', () => {
	test('prints one readable line an entry, with job strings made safe', async () => {
		const file = logFile();
		const log = new AuditLog(file);
		log.append(entry('job-1', {pids: {signalled: [4242, 4243], killed: [4243]}}));
		log.append(entry('evil\u001B[2J\u001B]0;owned\u0007-job', {action: 'notify', actor: 'user', severity: 'medium', result: 'failed', reason: 'hook said \u001B[31mno\u001B[0m\nbye'}));
		const out = capture();
		expect(await runLog({auditLog: file, json: false, follow: false, stdout: out.stream})).toBe(0);
		const lines = out.text().trimEnd().split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}job-1 +terminate {2}auto {2}critical {2}ok +silent for 1h 2m {2}pids 4242,4243 \(SIGKILL 4243\)$/);
		expect(lines[1]).toContain('evil-job');
		expect(lines[1]).toMatch(/notify +user +medium +failed +hook said no bye/);
		expect(out.text()).not.toMatch(/\u001B|\u0007/);
	});

	test('--json prints the entries as JSON lines, torn lines left out', async () => {
		const file = logFile();
		const log = new AuditLog(file);
		log.append(entry('a'));
		fs.appendFileSync(file, '{"torn": \n');
		log.append(entry('b', {result: 'started', action_id: 'x-1'}));
		const out = capture();
		expect(await runLog({auditLog: file, json: true, follow: false, stdout: out.stream})).toBe(0);
		const parsed = out.text().trimEnd().split('\n').map(line => JSON.parse(line) as AuditEntry);
		expect(parsed.map(item => item.job_id)).toEqual(['a', 'b']);
		expect(parsed[1]).toMatchObject({result: 'started', action_id: 'x-1'});
	});

	test('a missing log says so and exits 0; in JSON mode stdout stays empty', async () => {
		const file = logFile();
		const out = capture();
		expect(await runLog({auditLog: file, json: false, follow: false, stdout: out.stream})).toBe(0);
		expect(out.text()).toBe(`No audit log yet at ${file}.\n`);
		const json = capture();
		const notices = capture();
		expect(await runLog({auditLog: file, json: true, follow: false, stdout: json.stream, stderr: notices.stream})).toBe(0);
		expect(json.text()).toBe('');
		expect(notices.text()).toContain('No audit log yet');
	});

	test('-f prints what is there, then new entries, until stopped', async () => {
		const file = logFile();
		const log = new AuditLog(file);
		log.append(entry('old'));
		const out = capture();
		const stopper = new AbortController();
		let finished = false;
		const running = runLog({auditLog: file, json: false, follow: true, stdout: out.stream, signal: stopper.signal}).then(code => {
			finished = true;
			return code;
		});
		expect(await waitFor(() => out.text().includes('old'), 3000, 10)).toBe(true);
		log.append(entry('new'));
		expect(await waitFor(() => out.text().includes('new'), 3000, 10)).toBe(true);
		expect(finished).toBe(false);
		stopper.abort();
		expect(await running).toBe(0);
		log.append(entry('after'));
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(out.text()).not.toContain('after');
		expect(out.text().trimEnd().split('\n')).toHaveLength(2);
	});

	test('formatAuditEntry cuts a long job id in the middle, keeping both its ends', () => {
		const line = formatAuditEntry(entry(`start-${'x'.repeat(10_000)}-end`));
		expect(line.length).toBeLessThan(200);
		expect(line).toMatch(/ start-x+…x+-end +terminate/);
	});

	test('formatAuditEntry shows an unreadable time as it is', () => {
		expect(formatAuditEntry({...entry('a'), ts: 'yesterday'})).toMatch(/^yesterday +a +terminate/);
	});
});
