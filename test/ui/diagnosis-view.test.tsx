import {describe, expect, it} from 'vitest';
import type {Diagnosis, ProcessSample} from '../../source/types.js';
import {makeFakeEngine, makeJob, makeSnapshot, now} from './fake-engine.js';
import {keys, renderApp} from './render-app.js';

const asking: Diagnosis = {kind: 'waiting-for-input', pid: 101, command: 'python ask.py \u001B[31m--yes\u202E', detail: 'reads its standard input, the terminal /dev/pts/3'};

function proc(pid: number, ppid: number, name: string): ProcessSample {
	return {pid, ppid, pgid: 100, sid: 100, state: 'S', startTimeMs: now - 60_000, cpuTimeMs: 0, rssBytes: 2 ** 20, name, cpuPercent: 0};
}

function jobs() {
	const sample = {at: now, rootPid: 100, processes: [proc(100, 1, 'bash'), proc(101, 100, 'python')], cpuPercent: 0, cpuTrusted: true, rssBytes: 2 ** 21, lost: null};
	return [
		makeJob({id: 'asking', severity: 'medium', pid: 100, sample, diagnosis: asking}),
		makeJob({id: 'napping', severity: 'low', diagnosis: {kind: 'sleeping', pid: 4242, command: 'sleep 600', detail: 'sleeps on a timer'}}),
		makeJob({id: 'busy-one', diagnosis: {kind: 'ok', pid: 4242, command: 'make', detail: 'active'}}),
	];
}

const rowOf = (frame: string, id: string) => frame.split('\n').find(row => row.slice(3).startsWith(`${id} `)) ?? '';

describe('the diagnosis on the dashboard (SPEC section 12)', () => {
	it('has a short WHY column where the width allows, blank for an active job, the first column to give way', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs()})), {columns: 150, rows: 20});
		const frame = screen.frame();
		expect(frame.split('\n').find(row => /^ {3}ID /.test(row))).toMatch(/UPTIME +WHY$/);
		expect(rowOf(frame, 'asking')).toMatch(/ input$/);
		expect(rowOf(frame, 'napping')).toMatch(/ sleeping$/);
		expect(rowOf(frame, 'busy-one')).toMatch(/\d\S* *$/);
		// Ten columns fewer: WHY goes, every other column stays.
		await screen.resize(90, 20);
		const titles = screen.frame().split('\n').find(row => /^ {3}ID /.test(row))!;
		expect(titles.trim().split(/\s+/).map(title => title.replace('▾', ''))).toEqual(['ID', 'ROLE', 'STATUS', 'PID', 'SEV', 'SILENT', 'CPU', 'MEM', 'UPTIME']);
	});

	it('says why in the detail view, sanitised, and marks the process that explains the job', async () => {
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs()})), {columns: 150, rows: 40});
		await screen.press(keys.enter);
		const frame = screen.frame();
		expect(frame).toContain('Why: waiting-for-input: pid 101 (python ask.py --yes) reads its standard input, the terminal /dev/pts/3');
		expect(frame).not.toMatch(/[\u001B\u202E]/);
		const python = frame.split('\n').find(row => row.includes('python (S)'));
		expect(python).toMatch(/python \(S\) +waiting-for-input$/);
		expect(frame.split('\n').find(row => row.includes('bash (S)'))).not.toContain('waiting');
	});
});
