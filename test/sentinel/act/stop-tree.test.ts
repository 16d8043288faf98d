import {describe, expect, it} from 'vitest';
import type {ProcessInfo} from '../../../source/types.js';
import {descendantsOf, procfsAvailable, readProcess, scanProcesses, type ProcessTable} from '../../../source/sentinel/observe/process-table.js';
import {stopTree, type SignalFunction} from '../../../source/sentinel/act/stop-tree.js';
import {startProcess, waitFor} from '../../helpers/processes.js';

const graceMs = 500;

/** Alive and not a zombie: a killed child of ours stays a zombie until Node reaps it. */
function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

/** Lets through only processes of the group a test started, so a test never signals anything else. */
function onlyGroupOf(rootPid: number): (pid: number) => string | null {
	return pid => (readProcess(pid)?.pgid === rootPid ? null : `pid ${pid} is not in the test's process group`);
}

function recordingKill(): {kill: SignalFunction; calls: [number, NodeJS.Signals][]} {
	const calls: [number, NodeJS.Signals][] = [];
	return {calls, kill: (pid, signal) => void calls.push([pid, signal])};
}

async function waitForTree(rootPid: number, size: number, ready: (info: ProcessInfo) => boolean = () => true): Promise<number[]> {
	let tree: ProcessInfo[] = [];
	const found = await waitFor(() => {
		const table = scanProcesses();
		tree = [table.byPid.get(rootPid)!, ...descendantsOf(table, rootPid)].filter(info => info && ready(info));
		return tree.length === size;
	});
	expect(found, `a tree of ${size} under ${rootPid}`).toBe(true);
	return tree.map(info => info.pid).sort((a, b) => a - b);
}

const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

describe.runIf(procfsAvailable)('stopTree', () => {
	it('kills a tree of 20 processes that all ignore SIGTERM once the grace is over', async () => {
		// SIG_IGN survives fork and exec, so every sleep ignores SIGTERM too.
		const root = startProcess('bash', ['-c', 'trap "" TERM; for i in $(seq 19); do sleep 30 & done; wait']);
		const tree = await waitForTree(root.pid!, 20, info => info.pid === root.pid || info.name === 'sleep');

		const report = await stopTree(root.pid!, {graceMs, guard: onlyGroupOf(root.pid!)});

		expect(sorted(report.signalled)).toEqual(tree);
		expect(sorted(report.killed)).toEqual(tree);
		expect(report.refused).toEqual([]);
		expect(report.survivors).toEqual([]);
		expect(tree.filter(pid => running(pid))).toEqual([]);
		expect(report.durationMs).toBeGreaterThanOrEqual(graceMs);
		// Loose on purpose (two cores shared with the suite): only a stop that waits far past its grace fails.
		expect(report.durationMs).toBeLessThan(graceMs + 5000);
	});

	it('finishes early when every member obeys SIGTERM', async () => {
		const root = startProcess('bash', ['-c', 'sleep 30 & sleep 30 & wait']);
		const tree = await waitForTree(root.pid!, 3);

		const report = await stopTree(root.pid!, {graceMs: 10_000, guard: onlyGroupOf(root.pid!)});

		expect(sorted(report.signalled)).toEqual(tree);
		expect(report.killed).toEqual([]);
		// Well short of the 10 s grace, however loaded the machine.
		expect(report.durationMs).toBeLessThan(8000);
	});

	it('kills the SIGTERM-ignoring child of a parent that exits on SIGTERM, orphaned or not', async () => {
		const root = startProcess('bash', ['-c', '(trap "" TERM; exec sleep 30) & wait']);
		const [, child] = await waitForTree(root.pid!, 2, info => info.pid === root.pid || info.name === 'sleep');

		const report = await stopTree(root.pid!, {graceMs, guard: onlyGroupOf(root.pid!)});

		expect(report.killed).toEqual([child]);
		expect(running(child!)).toBe(false);
		expect(running(root.pid!)).toBe(false);
	});

	it('finds and kills a process that left the tree by double fork during the grace, by its process group', async () => {
		// On SIGTERM the root starts a sleeper whose parent exits at once: no longer a descendant.
		const script = 'trap "(sleep 31 &)" TERM; while :; do sleep 0.05; done';
		const root = startProcess('bash', ['-c', script]);
		await waitForTree(root.pid!, 2);

		const report = await stopTree(root.pid!, {graceMs, guard: onlyGroupOf(root.pid!)});

		const late = report.killed.filter(pid => pid !== root.pid);
		expect(late.length).toBeGreaterThan(0);
		const leftInGroup = [...scanProcesses().byPid.values()].filter(info => info.pgid === root.pid && info.state !== 'Z');
		expect(leftInGroup).toEqual([]);
	});

	it('never signals a pid whose start time is not the one in the snapshot', async () => {
		const root = startProcess('sleep', ['30']);
		await waitForTree(root.pid!, 1);
		const scan = (): ProcessTable => {
			const table = scanProcesses();
			const info = table.byPid.get(root.pid!)!;
			table.byPid.set(root.pid!, {...info, startTimeMs: info.startTimeMs - 5000});
			return table;
		};
		const {kill, calls} = recordingKill();

		const report = await stopTree(root.pid!, {graceMs: 100, guard: onlyGroupOf(root.pid!), scan, kill});

		expect(calls).toEqual([]);
		expect(report.refused).toEqual([{pid: root.pid, reason: expect.stringMatching(/start time/)}]);
		expect(running(root.pid!)).toBe(true);
	});

	it('refuses pid 1, itself and its ancestors, without ever passing them to the signal function', async () => {
		for (const pid of [1, process.pid, process.ppid]) {
			const {kill, calls} = recordingKill();
			const report = await stopTree(pid, {graceMs: 100, guard: () => null, kill});
			expect(calls).toEqual([]);
			expect(report.signalled).toEqual([]);
			expect(report.refused).toEqual([{pid, reason: expect.stringMatching(/refusing/)}]);
		}
	});

	it('refuses itself inside a tree and every pid the guard refuses, signalling the rest', async () => {
		const root = startProcess('bash', ['-c', 'sleep 30 & sleep 30 & wait']);
		const [, first, second] = await waitForTree(root.pid!, 3);
		// The scan claims the sentinel runs under the job's root: it must still never be signalled.
		const scan = (): ProcessTable => {
			const table = scanProcesses();
			table.children.set(root.pid!, [...(table.children.get(root.pid!) ?? []), process.pid]);
			return table;
		};
		const {kill, calls} = recordingKill();
		const guard = (pid: number) => (pid === second ? 'owned by someone else' : onlyGroupOf(root.pid!)(pid));

		const report = await stopTree(root.pid!, {graceMs: 100, guard, scan, kill});

		const signalledPids = new Set(calls.map(([pid]) => pid));
		expect(signalledPids).toEqual(new Set([root.pid, first]));
		expect(calls.filter(([, signal]) => signal === 'SIGTERM').map(([pid]) => pid).sort()).toEqual([root.pid, first].sort());
		expect(report.refused).toEqual(
			expect.arrayContaining([
				{pid: process.pid, reason: expect.stringMatching(/sentinel itself/)},
				{pid: second, reason: 'owned by someone else'},
			]),
		);
		// Nothing died: the signals were only recorded.
		expect(sorted(report.survivors)).toEqual(sorted([root.pid!, first!, second!, process.pid]));
	});

	it('reports nothing done for a pid that is not there', async () => {
		const {kill, calls} = recordingKill();
		const report = await stopTree(2 ** 22 + 12_345, {graceMs: 100, guard: () => null, kill});
		expect(calls).toEqual([]);
		expect(report).toMatchObject({signalled: [], killed: [], refused: [], survivors: []});
	});
});
