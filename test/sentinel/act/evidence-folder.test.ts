// An evidence file is what an operator reads after a kill: its name only ever holds a whole file
// (written to a temporary name, synced, renamed, the folder synced), and what a crash left under
// a temporary name is never taken for evidence and goes with the next write.
import {once} from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {evidenceFolder, evidenceName, isEvidenceName, readEvidence, writeEvidence} from '../../../source/sentinel/act/evidence/evidence-folder.js';
import {startNode} from '../../helpers/processes.js';
import {makeTempDir} from '../../helpers/temp-dir.js';

const at = Date.parse('2025-03-01T12:00:00Z');

/** A process reading every evidence-named file of `folder` as JSON, over and over, until `stop` exists: what it read, and what was not whole. */
function startReader(folder: string, stop: string) {
	const script = `
		const fs = require('node:fs');
		let reads = 0;
		const torn = [];
		process.stdout.write('ready\\n');
		while (!fs.existsSync(${JSON.stringify(stop)})) {
			let names = [];
			try { names = fs.readdirSync(${JSON.stringify(folder)}); } catch {}
			for (const name of names.filter(name => name.endsWith('.json'))) {
				let text;
				try { text = fs.readFileSync(${JSON.stringify(folder)} + '/' + name, 'utf8'); } catch { continue; }
				reads++;
				try { JSON.parse(text); } catch { torn.push(name + ': ' + text.length + ' bytes'); }
			}
		}
		process.stdout.write(JSON.stringify({reads, torn}) + '\\n');`;
	const reader = startNode(script, {stdio: ['ignore', 'pipe', 'inherit']});
	let said = '';
	reader.stdout!.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
	const ready = new Promise<void>(resolve => {
		reader.stdout!.on('data', () => {
			if (said.startsWith('ready\n')) resolve();
		});
	});
	const report = once(reader, 'exit').then(() => JSON.parse(said.slice('ready\n'.length)) as {reads: number; torn: string[]});
	return {ready, report};
}

describe('an evidence file under its name', () => {
	it('is never half-written: a reader polling the folder while 20 are written finds every one whole', {timeout: 60_000}, async () => {
		const jobDir = makeTempDir();
		const folder = evidenceFolder(jobDir);
		const stop = path.join(makeTempDir(), 'stop');
		const reader = startReader(folder, stop);
		await reader.ready;
		const pad = 'x'.repeat(256 * 1024);
		for (let index = 0; index < 20; index++) {
			await writeEvidence(jobDir, evidenceName(at + index * 1000, 'terminate', `act-${index}`), JSON.stringify({format: 1, index, pad}));
		}
		fs.writeFileSync(stop, '');
		const {reads, torn} = await reader.report;
		expect(torn).toEqual([]);
		expect(reads, 'the reader read while they were written').toBeGreaterThan(0);
		const names = fs.readdirSync(folder);
		expect(names).toHaveLength(20);
		expect(names.every(name => isEvidenceName(name))).toBe(true);
	});

	it('a temporary file a crash left is never read as evidence, and is removed by the next write', async () => {
		const jobDir = makeTempDir();
		const first = await writeEvidence(jobDir, evidenceName(at, 'terminate', 'act-1'), '{"format": 1}');
		// What a sentinel killed between its write and its rename leaves: half a file, under a temporary name.
		const leftover = path.join(path.dirname(first), `${evidenceName(at + 1000, 'recover', 'act-2')}.4242.0123abcd.tmp`);
		fs.writeFileSync(leftover, '{"format": 1, "processes": [{"pid"');
		expect(isEvidenceName(path.basename(leftover))).toBe(false);
		expect(() => readEvidence(leftover)).toThrow(/is not an evidence file's path/);

		const second = await writeEvidence(jobDir, evidenceName(at + 2000, 'terminate', 'act-3'), '{"format": 1}');
		expect(fs.readdirSync(path.dirname(first)).sort()).toEqual([path.basename(first), path.basename(second)]);
		expect(fs.statSync(second).mode & 0o777).toBe(0o600);
	});

	it('keeps the file just written though the folder holds 20 named as taken later (planted, or a clock set back)', async () => {
		const jobDir = makeTempDir();
		const folder = evidenceFolder(jobDir);
		fs.mkdirSync(folder, {recursive: true});
		const later = Array.from({length: 20}, (_, index) => evidenceName(Date.parse('2099-01-01T00:00:00Z') + index * 1000, 'terminate', `later-${index}`));
		for (const name of later) fs.writeFileSync(path.join(folder, name), '{"format": 1}');
		const written = await writeEvidence(jobDir, evidenceName(at, 'terminate', 'now'), '{"format": 1, "now": true}');
		expect(JSON.parse(readEvidence(written)!.toString('utf8'))).toEqual({format: 1, now: true});
		// 20 kept in all: the oldest of the others went.
		expect(fs.readdirSync(folder).sort()).toEqual([path.basename(written), ...later.slice(1)].sort());
	});
});
