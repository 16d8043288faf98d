import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {ProcessSample} from '../../source/types.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {makeAudit, makeFakeEngine, makeJob, makeSnapshot, now} from './fake-engine.js';
import {keys, renderApp} from './render-app.js';

const hostile = 'evil\u001B[2J\u001B[31mred\u001B]0;pwned\u0007\u0008\u009B31m\ttab\r\nnext';
// Anything but newline (between lines) that a terminal would act on.
const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

function processSample(pid: number, ppid: number, name: string, cpuPercent: number): ProcessSample {
	return {pid, ppid, pgid: 100, sid: 100, state: 'S', startTimeMs: now - 60_000, cpuTimeMs: 0, rssBytes: 50 * 2 ** 20, name, cpuPercent};
}

describe('detail view', () => {
	it('shows description, thresholds, evidence, the process tree, its audit entries and the output log', async () => {
		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), `${Array.from({length: 12}, (_, index) => `step ${index}`).join('\n')}\n\u001B[32mall green\u001B[0m\n`);
		const sample = {
			at: now,
			rootPid: 100,
			processes: [processSample(100, 1, 'bash', 1), processSample(101, 100, 'python', 97), processSample(102, 101, 'worker-proc', 3)],
			cpuPercent: 101,
			cpuTrusted: true,
			rssBytes: 150 * 2 ** 20,
			lost: null,
		};
		const job = makeJob({id: 'train', dir, pid: 100, severity: 'high', silenceMs: 1_900_000, description: 'Train the model', sample});
		const recentAudit = [makeAudit({job_id: 'train', action: 'notify', result: 'ok', reason: 'hook ran'}), makeAudit({job_id: 'other', reason: 'not this one'})];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit})), {columns: 100, rows: 50});
		await screen.press(keys.enter);
		expect(await waitFor(() => screen.frame().includes('step 11'))).toBe(true);
		const frame = screen.frame();
		expect(frame).toContain('Job train  high  RUNNING  worker  pid 100');
		expect(frame).toContain('Description: Train the model');
		expect(frame).toContain('Thresholds: worker timeout 30m, critical 1h, memory 1GB, busy >= 95% for 5 samples');
		expect(frame).toMatch(/silence +high +31m 40s \(threshold 30m\)/);
		expect(frame).toMatch(/ 100 +1% +50MB {2}bash \(S\)/);
		expect(frame).toMatch(/ 101 +97% +50MB {2}└ python/);
		expect(frame).toMatch(/ 102 +3% +50MB {4}└ worker-proc/);
		expect(frame).toContain('notify train ok user high hook ran');
		expect(frame).not.toContain('not this one');
		expect(frame).toContain('  step 11');
		expect(frame).toContain('  all green');
		expect(frame).not.toContain('step 4');
		await screen.press(keys.escape);
		expect(screen.frame()).toMatch(/ID +ROLE/);
	});

	it('renders control characters and escape sequences from job files as plain text', async () => {
		const dir = makeTempDir();
		fs.mkdirSync(path.join(dir, 'logs'));
		fs.writeFileSync(path.join(dir, 'logs', 'output.log'), `${hostile}\n`);
		const job = makeJob({id: `bad\u001B[5mid`, dir, description: hostile, command: `rm\u0007 -rf\u001B[8m`});
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], notices: [`watch failed for ${hostile}`]})), {columns: 120, rows: 40, color: false});
		expect(screen.frame()).not.toMatch(controls);
		expect(screen.frame()).toContain('badid');
		await screen.press(keys.enter);
		expect(await waitFor(() => screen.frame().includes('  evilred'))).toBe(true);
		const frame = screen.frame();
		expect(frame).not.toMatch(controls);
		expect(frame).toContain('  evilred tab  next'.slice(0, 10));
		expect(frame).toContain('Description: evilred tab  next');
		expect(frame).toContain('Command: rm -rf');
		await screen.press('x');
		expect(screen.frame()).not.toMatch(controls);
		expect(screen.frame()).toContain('rm -rf');
	});

	it('scrolls a long detail view and says what lies below', async () => {
		const processes = Array.from({length: 40}, (_, index) => processSample(200 + index, index === 0 ? 1 : 200, `child-${index}`, 0));
		const sample = {at: now, rootPid: 200, processes, cpuPercent: 0, cpuTrusted: true, rssBytes: 0, lost: null};
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'big', pid: 200, sample})]})), {columns: 80, rows: 24});
		await screen.press(keys.enter);
		expect(screen.frame()).toMatch(/more lines/);
		expect(screen.frame()).toContain('Job big');
		await screen.press('G');
		expect(screen.frame()).not.toContain('Job big');
		expect(screen.frame()).toContain('Output (end of logs/output.log)');
		expect(screen.frame().split('\n').length).toBeLessThanOrEqual(23);
		await screen.press('g');
		expect(screen.frame()).toContain('Job big');
	});

	it('says so when the job it shows goes away', async () => {
		const engine = makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'gone'})]}));
		const screen = await renderApp(engine);
		await screen.press(keys.enter);
		engine.setSnapshot(makeSnapshot({tick: 2, jobs: []}));
		await screen.settle();
		expect(screen.frame()).toContain('That job is gone');
	});
});
