import fs from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {ancestorsOf, descendantsOf, kernelUnits, procfsAvailable, readProcess, readRealUid, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import {makeTempDir} from '../../helpers/temp-dir.js';
import {startNode, startProcess, waitFor} from '../../helpers/processes.js';

/** Start time as `ps` reports it (whole seconds, epoch ms). */
function psStartMs(pid: number): number {
	const text = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {encoding: 'utf8', env: {...process.env, LC_ALL: 'C'}});
	return Date.parse(text.trim());
}

// ps adds clock ticks to btime (whole seconds) and prints whole seconds: up to 2 s below the exact time.
function expectNearPs(startTimeMs: number, pid: number): void {
	const behind = startTimeMs - psStartMs(pid);
	expect(behind).toBeGreaterThan(-50);
	expect(behind).toBeLessThan(2000);
}

describe.runIf(procfsAvailable)('scanProcesses', () => {
	it('finds a parent and its 3 children with their ppids and start times', async () => {
		const before = Date.now();
		const parent = startProcess('sh', ['-c', 'sleep 30 & sleep 30 & sleep 30 & wait']);
		const after = Date.now();
		const parentPid = parent.pid!;
		let table = scanProcesses();
		const sleepers = () => (table.children.get(parentPid) ?? []).filter(pid => table.byPid.get(pid)?.name === 'sleep');
		expect(await waitFor(() => {
			table = scanProcesses();
			return sleepers().length === 3;
		})).toBe(true);

		const parentInfo = table.byPid.get(parentPid)!;
		expect(parentInfo.ppid).toBe(process.pid);
		expect(parentInfo.pgid).toBe(parentPid);
		// Exact to a clock tick or two; ps shows whole seconds.
		expect(parentInfo.startTimeMs).toBeGreaterThanOrEqual(before - 30);
		expect(parentInfo.startTimeMs).toBeLessThanOrEqual(after + 50);
		expectNearPs(parentInfo.startTimeMs, parentPid);
		for (const pid of sleepers()) {
			const child = table.byPid.get(pid)!;
			expect(child.ppid).toBe(parentPid);
			expect(child.pgid).toBe(parentPid);
			expect(child.startTimeMs).toBeGreaterThanOrEqual(parentInfo.startTimeMs);
			expectNearPs(child.startTimeMs, pid);
		}
		expect(descendantsOf(table, parentPid).map(info => info.pid).sort()).toEqual(sleepers().sort());
		expect(table.scannedAt).toBeGreaterThanOrEqual(before);
	});

	it('finds grandchildren, and the ancestors of a process up to the top', async () => {
		const top = startProcess('sh', ['-c', 'sh -c "sleep 30 & wait" & wait']);
		let table = scanProcesses();
		expect(await waitFor(() => {
			table = scanProcesses();
			return descendantsOf(table, top.pid!).some(info => info.name === 'sleep');
		})).toBe(true);
		const [middle, leaf] = descendantsOf(table, top.pid!);
		expect(middle!.ppid).toBe(top.pid);
		expect(leaf!.ppid).toBe(middle!.pid);
		const ancestors = ancestorsOf(table, leaf!.pid);
		expect(ancestors.slice(0, 4)).toEqual([middle!.pid, top.pid, process.pid, process.ppid]);
		expect(table.byPid.get(ancestors.at(-1)!)?.ppid).toBe(0);
	});

	it('reads a command name holding spaces and parentheses', async () => {
		const dir = makeTempDir();
		const odd = path.join(dir, 'a) (b c');
		fs.symlinkSync(execFileSync('sh', ['-c', 'command -v sleep'], {encoding: 'utf8'}).trim(), odd);
		const child = startProcess(odd, ['30']);
		// Fields after the name parse right only when the name ends at its last ')'.
		expect(await waitFor(() => readProcess(child.pid!)?.name === 'a) (b c' && readProcess(child.pid!)?.state === 'S')).toBe(true);
		const info = readProcess(child.pid!)!;
		expect(info.ppid).toBe(process.pid);
		expect(info.pgid).toBe(child.pid);
		expect(scanProcesses().byPid.get(child.pid!)).toEqual({...info, cpuTimeMs: expect.any(Number)});
	});

	it('reads CPU time, RSS and the real uid of a live process', async () => {
		const hog = startNode('const b = Buffer.alloc(100 * 2 ** 20, 1); setInterval(() => b[0]++, 1000)');
		expect(await waitFor(() => (readProcess(hog.pid!)?.rssBytes ?? 0) >= 100 * 2 ** 20)).toBe(true);
		expect(readProcess(hog.pid!)!.rssBytes).toBeLessThan(400 * 2 ** 20);
		expect(readProcess(process.pid)!.cpuTimeMs).toBeGreaterThan(0);
		expect(readRealUid(hog.pid!)).toBe(process.getuid!());
	});

	it('reads clock ticks and page size as getconf says them', () => {
		const getconf = (name: string) => Number(execFileSync('getconf', [name], {encoding: 'utf8'}).trim());
		expect(kernelUnits()).toEqual({ticksPerSecond: getconf('CLK_TCK'), pageBytes: getconf('PAGESIZE')});
	});

	it('keeps the info of a process whose stat line did not change, and reads a moving one afresh', async () => {
		const idle = startProcess('sleep', ['30']);
		const spinner = startNode('for (;;) {}');
		expect(await waitFor(() => scanProcesses().byPid.has(spinner.pid!))).toBe(true);
		// Until `sleep` has finished starting (exec'd, asleep): a process still starting moves.
		expect(await waitFor(() => readProcess(idle.pid!)?.state === 'S' && readProcess(idle.pid!)!.rssBytes > 0)).toBe(true);
		const first = scanProcesses();
		// Until the spinner has run (on a loaded machine it may wait for a core), not a fixed pause.
		let second = scanProcesses();
		expect(await waitFor(() => (second = scanProcesses()).byPid.get(spinner.pid!)!.cpuTimeMs > first.byPid.get(spinner.pid!)!.cpuTimeMs)).toBe(true);
		expect(second.byPid.get(idle.pid!)).toBe(first.byPid.get(idle.pid!));
		const spun = second.byPid.get(spinner.pid!)!;
		expect(spun).not.toBe(first.byPid.get(spinner.pid!));
		expect(spun.cpuTimeMs).toBeGreaterThan(first.byPid.get(spinner.pid!)!.cpuTimeMs);
		// What is kept is what a fresh read says.
		expect(second.byPid.get(idle.pid!)).toEqual(readProcess(idle.pid!));
	});

	it('returns null for a process that is gone', async () => {
		const child = startNode('');
		const pid = child.pid!;
		await new Promise(resolve => child.once('exit', resolve));
		expect(await waitFor(() => readProcess(pid) === null)).toBe(true);
		expect(readRealUid(pid)).toBeNull();
		expect(scanProcesses().byPid.has(pid)).toBe(false);
		expect(readProcess(0)).toBeNull();
		expect(readProcess(-1)).toBeNull();
	});
});
