import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {AuditLog, auditEntry, newActionId, parseAuditLine} from '../../../source/sentinel/act/audit-log.js';
import type {AuditEntry} from '../../../source/types.js';
import {makeTempDir} from '../../helpers/temp-dir.js';
import {waitFor} from '../../helpers/processes.js';

function entry(jobId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
	return auditEntry({job_id: jobId, action: 'recover', actor: 'auto', severity: 'high', result: 'ok', reason: 'silent 31m', evidence: [], ...extra});
}

function logIn(dir: string, options = {}): AuditLog {
	return new AuditLog(path.join(dir, '.sentinel', 'audit.jsonl'), options);
}

describe('AuditLog', () => {
	test('appends entries that read back in order, creating its directory', () => {
		const log = logIn(makeTempDir());
		log.append(entry('a'));
		log.append(entry('b', {result: 'started'}));
		const read = log.readAll();
		expect(read.map(item => item.job_id)).toEqual(['a', 'b']);
		expect(read[1]).toMatchObject({result: 'started', action: 'recover', sentinel: {pid: process.pid}});
		expect(fs.readFileSync(log.file, 'utf8').split('\n')).toHaveLength(3);
	});

	test('keeps fields it does not know, and action ids are unique', () => {
		const log = logIn(makeTempDir());
		log.append(entry('a', {transition: {from: 'RUNNING', to: 'PENDING'}}));
		expect(log.readAll()[0]?.['transition']).toEqual({from: 'RUNNING', to: 'PENDING'});
		expect(newActionId()).not.toBe(newActionId());
		const started = auditEntry({job_id: 'a', action: 'terminate', actor: 'auto', severity: 'critical', result: 'started', reason: 'r', evidence: []}, Date.parse('2025-01-01T00:00:00Z'));
		const finished = auditEntry({...started, result: 'failed', sentinel: {pid: 1, host: 'elsewhere'}}, Date.parse('2025-01-01T00:05:00Z'));
		expect(finished).toMatchObject({action_id: started.action_id, ts: '2025-01-01T00:05:00.000Z', sentinel: {pid: process.pid}});
	});

	test('a torn or foreign line is skipped and reading goes on', () => {
		const log = logIn(makeTempDir());
		log.append(entry('a'));
		fs.appendFileSync(log.file, '{"ts": "2024-01-01T00:00:00Z", "job_id": "torn", "act\n');
		fs.appendFileSync(log.file, '{"some": "other json"}\nnot json at all\n');
		log.append(entry('b'));
		expect(log.readAll().map(item => item.job_id)).toEqual(['a', 'b']);
		expect(log.readTail(5).map(item => item.job_id)).toEqual(['a', 'b']);
		expect(parseAuditLine('[1,2]')).toBeNull();
	});

	test('a file not ending in a newline gets one before the next entry', () => {
		const log = logIn(makeTempDir());
		log.append(entry('a'));
		fs.appendFileSync(log.file, '{"ts": "2024-01-01T00:00:00Z", "job_id": "torn-by-a-crash"');
		log.append(entry('b'));
		const lines = fs.readFileSync(log.file, 'utf8').split('\n');
		expect(lines[1]).toBe('{"ts": "2024-01-01T00:00:00Z", "job_id": "torn-by-a-crash"');
		expect(JSON.parse(lines[2]!)).toMatchObject({job_id: 'b'});
		expect(log.readAll().map(item => item.job_id)).toEqual(['a', 'b']);
	});

	test('rotates past the size limit, keeping three old files', () => {
		const log = logIn(makeTempDir(), {maxBytes: 2000});
		const lineBytes = Buffer.byteLength(JSON.stringify(entry('job-000'))) + 1;
		const perFile = Math.floor(2000 / lineBytes);
		const total = perFile * 6;
		for (let index = 0; index < total; index++) log.append(entry(`job-${String(index).padStart(3, '0')}`));
		const dir = path.dirname(log.file);
		expect(fs.readdirSync(dir).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2', 'audit.jsonl.3']);
		for (const file of log.files()) expect(fs.statSync(file).size).toBeLessThanOrEqual(2000);
		const kept = log.readAll().map(item => item.job_id);
		// Oldest first and contiguous: only the oldest files were dropped.
		expect(kept.at(-1)).toBe(`job-${String(total - 1).padStart(3, '0')}`);
		expect(kept.length).toBeGreaterThanOrEqual(perFile * 3);
		expect(kept.length).toBeLessThan(total);
		const numbers = kept.map(id => Number(id.slice(4)));
		expect(numbers).toEqual(numbers.map((_, index) => numbers[0]! + index));
		// The tail reaches back into the rotated files when the live one is short.
		expect(log.readTail(perFile + 2).map(item => item.job_id)).toEqual(kept.slice(-(perFile + 2)));
	});

	test('readTail reads the newest entries across chunk boundaries', () => {
		const log = logIn(makeTempDir());
		const reason = 'x'.repeat(3000);
		for (let index = 0; index < 60; index++) log.append(entry(`job-${index}`, {reason}));
		expect(log.readTail(3).map(item => item.job_id)).toEqual(['job-57', 'job-58', 'job-59']);
		expect(log.readTail(1000)).toHaveLength(60);
		expect(logIn(makeTempDir()).readTail(10)).toEqual([]);
	});

	test('follow sees entries appended later, a backlog, and entries across a rotation', async () => {
		const log = logIn(makeTempDir(), {maxBytes: 1500});
		log.append(entry('before-1'));
		log.append(entry('before-2'));
		const seen: string[] = [];
		const stop = log.follow(item => seen.push(item.job_id), {backlog: 1, intervalMs: 20});
		try {
			expect(seen).toEqual(['before-2']);
			const writer = new AuditLog(log.file, {maxBytes: 1500});
			for (let index = 0; index < 12; index++) writer.append(entry(`after-${index}`));
			expect(fs.existsSync(`${log.file}.1`)).toBe(true);
			expect(await waitFor(() => seen.length === 13, 3000, 10)).toBe(true);
			expect(seen.slice(1)).toEqual(Array.from({length: 12}, (_, index) => `after-${index}`));
		} finally {
			stop();
		}
		log.append(entry('after-stop'));
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(seen).not.toContain('after-stop');
	});

	test('follow waits for a log that does not exist yet, and completes a line written in two parts', async () => {
		const log = logIn(makeTempDir());
		const seen: string[] = [];
		const stop = log.follow(item => seen.push(item.job_id), {intervalMs: 20});
		try {
			const line = JSON.stringify(entry('split'));
			fs.mkdirSync(path.dirname(log.file), {recursive: true});
			fs.writeFileSync(log.file, line.slice(0, 40));
			await new Promise(resolve => setTimeout(resolve, 80));
			fs.appendFileSync(log.file, `${line.slice(40)}\n`);
			expect(await waitFor(() => seen.length === 1, 3000, 10)).toBe(true);
			expect(seen).toEqual(['split']);
		} finally {
			stop();
		}
	});

	test('follow with the whole backlog hands over rotated files first', () => {
		const log = logIn(makeTempDir(), {maxBytes: 1200});
		for (let index = 0; index < 8; index++) log.append(entry(`job-${index}`));
		const seen: string[] = [];
		log.follow(item => seen.push(item.job_id), {backlog: 'all'})();
		expect(seen).toEqual(log.readAll().map(item => item.job_id));
		expect(seen).toHaveLength(8);
	});

	test.runIf(process.getuid?.() === 0)('a moved log (--audit-log) made by root in a folder of nobody\'s is nobody\'s, folders made on the way too; a link there is not followed', () => {
		const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], {encoding: 'utf8'}));
		const owner = `${id('-u')}:${id('-g')}`;
		const base = makeTempDir();
		fs.chownSync(base, id('-u'), id('-g'));
		const log = new AuditLog(path.join(base, 'logs', 'sentinel', 'audit.jsonl'));
		log.append(entry('a'));
		const ownerOf = (file: string) => `${fs.statSync(file).uid}:${fs.statSync(file).gid}`;
		expect([path.join(base, 'logs'), path.dirname(log.file), log.file].map(ownerOf)).toEqual([owner, owner, owner]);

		fs.writeFileSync(path.join(base, 'elsewhere'), 'kept\n');
		fs.rmSync(log.file);
		fs.symlinkSync(path.join(base, 'elsewhere'), log.file);
		expect(() => log.append(entry('b'))).toThrow(`${log.file} is a symbolic link: never followed (remove it)`);
		expect(fs.readFileSync(path.join(base, 'elsewhere'), 'utf8')).toBe('kept\n');
	});
});
