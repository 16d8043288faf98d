import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readOutputTail} from '../../source/ui/detail/output-tail.js';
import {processTree} from '../../source/ui/detail/process-tree.js';
import type {ProcessSample} from '../../source/types.js';
import {makeTempDir} from '../helpers/temp-dir.js';

function jobWithLog(content: string | Buffer): string {
	const dir = makeTempDir();
	fs.mkdirSync(path.join(dir, 'logs'));
	fs.writeFileSync(path.join(dir, 'logs', 'output.log'), content);
	return dir;
}

describe('output tail', () => {
	it('reads the last 8 lines', async () => {
		const lines = Array.from({length: 20}, (_, index) => `line ${index}`);
		expect(await readOutputTail(jobWithLog(`${lines.join('\n')}\n`))).toEqual({lines: lines.slice(-8)});
	});

	it('reads at most the last 64 KB and drops the partial first line', async () => {
		const dir = jobWithLog(`${'x'.repeat(200_000)}\nend one\nend two`);
		expect(await readOutputTail(dir)).toEqual({lines: ['end one', 'end two']});
		const big = jobWithLog(`${'y'.repeat(100_000)}`);
		expect(await readOutputTail(big)).toEqual({lines: []});
	});

	it('strips escape sequences and keeps what a progress bar last drew', async () => {
		const dir = jobWithLog('\u001B[31mred\u001B[0m \u001B]0;title\u0007done\nprogress 10%\rprogress 90%\r\n');
		expect(await readOutputTail(dir)).toEqual({lines: ['red done', 'progress 90%']});
	});

	it('says so when there is no log', async () => {
		expect(await readOutputTail(makeTempDir())).toEqual({missing: expect.stringContaining('no output log')});
	});

	it('refuses a log that links outside the job directory', async () => {
		const outside = makeTempDir();
		fs.writeFileSync(path.join(outside, 'secret'), 'secret text\n');
		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'logs', 'output.log'));
		const tail = await readOutputTail(dir);
		expect(tail).toEqual({missing: expect.stringContaining('outside the job directory')});
		const linkedDir = makeTempDir();
		fs.symlinkSync(outside, path.join(linkedDir, 'logs'));
		fs.writeFileSync(path.join(outside, 'output.log'), 'secret\n');
		expect(await readOutputTail(linkedDir)).toEqual({missing: expect.stringContaining('outside the job directory')});
	});

	it('does not block on a FIFO', async () => {
		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'logs'));
		execFileSync('mkfifo', [path.join(dir, 'logs', 'output.log')]);
		expect(await readOutputTail(dir)).toEqual({missing: expect.stringContaining('not a regular file')});
	});
});

describe('process tree', () => {
	const process = (pid: number, ppid: number): ProcessSample => ({pid, ppid, pgid: 10, sid: 10, state: 'S', startTimeMs: 0, cpuTimeMs: 0, rssBytes: 0, name: `p${pid}`, cpuPercent: 0});

	it('puts children under their parents, by pid', () => {
		const rows = processTree([process(30, 10), process(10, 1), process(20, 10), process(40, 20)], 10);
		expect(rows.map(row => [row.process.pid, row.depth])).toEqual([[10, 0], [20, 1], [40, 2], [30, 1]]);
	});

	it('shows strays at the top level and survives a cycle', () => {
		const rows = processTree([process(10, 1), process(50, 60), process(60, 50)], 10);
		expect(rows.map(row => row.process.pid).sort()).toEqual([10, 50, 60]);
	});
});
