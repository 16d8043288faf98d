import {afterEach, describe, expect, it} from 'vitest';
import {freshProcess, holdStatFiles, procfsAvailable, readProcess, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import {Sampler} from '../../../source/sentinel/observe/sampler.js';
import {startProcess, waitFor} from '../../helpers/processes.js';

/** Stop `pid` (a process the test started) and wait until /proc says so. */
async function stopped(pid: number): Promise<void> {
	process.kill(pid, 'SIGSTOP');
	expect(await waitFor(() => readProcess(pid)?.state === 'T')).toBe(true);
}

/** A sleeper the test started, once /proc says it sleeps (not yet running its first steps). */
async function asleep(pid: number): Promise<void> {
	expect(await waitFor(() => readProcess(pid)?.state === 'S')).toBe(true);
}

/** `pid`'s child, once it has one: found by full scans. */
async function childOf(pid: number): Promise<number> {
	let child: number | undefined;
	expect(await waitFor(() => (child = scanProcesses().children.get(pid)?.[0]) !== undefined)).toBe(true);
	return child!;
}

describe.runIf(procfsAvailable)('partial scans of the process table', () => {
	afterEach(() => {
		holdStatFiles(() => false);
		scanProcesses();
	});

	it('take a process seen before and of no sampled tree as last read, and read a new one', async () => {
		const known = startProcess('sleep', ['60']);
		await asleep(known.pid!);
		holdStatFiles(() => false);
		expect(scanProcesses().byPid.get(known.pid!)?.state).toBe('S');
		await stopped(known.pid!);
		const fresh = startProcess('sleep', ['60']);
		const table = scanProcesses({partial: true});
		expect(table.byPid.get(known.pid!)?.state).toBe('S');
		expect(table.stale?.has(known.pid!)).toBe(true);
		expect(table.byPid.get(fresh.pid!)?.name).toBe('sleep');
		expect(table.stale?.has(fresh.pid!)).toBe(false);
		// Read when asked, and so in the table from then on.
		expect(freshProcess(table, table.byPid.get(known.pid!)!)?.state).toBe('T');
		expect(table.byPid.get(known.pid!)?.state).toBe('T');
		expect(table.stale?.has(known.pid!)).toBe(false);
	});

	it('read every process at every fifth scan at the least', async () => {
		const known = startProcess('sleep', ['60']);
		await asleep(known.pid!);
		holdStatFiles(() => false);
		scanProcesses();
		await stopped(known.pid!);
		for (let partial = 1; partial <= 4; partial++) expect(scanProcesses({partial: true}).byPid.get(known.pid!)?.state).toBe('S');
		const fifth = scanProcesses({partial: true});
		expect(fifth.stale).toBeUndefined();
		expect(fifth.byPid.get(known.pid!)?.state).toBe('T');
	});

	it('read a process of a sampled tree every scan', async () => {
		const sampled = startProcess('sleep', ['60']);
		holdStatFiles(pid => pid === sampled.pid);
		scanProcesses();
		await stopped(sampled.pid!);
		const table = scanProcesses({partial: true});
		expect(table.stale?.has(sampled.pid!)).toBe(false);
		expect(table.byPid.get(sampled.pid!)?.state).toBe('T');
	});

	it('leave a sampler reading a process that joins a tree as it is now: a new root and its child', async () => {
		const root = startProcess('sh', ['-c', 'sleep 60; true']);
		const child = await childOf(root.pid!);
		await stopped(child);
		const sampler = new Sampler();
		// A full scan just ran (childOf): the sampler's first is partial, with both taken as last read.
		const sample = sampler.sample([{key: 'job', pid: root.pid!, processStartMs: null, notAfterMs: null, ownerUid: process.getuid!()}]).get('job')!;
		expect(sample.lost).toBeNull();
		expect(sample.processes.map(({pid}) => pid)).toEqual([root.pid, child]);
		expect(sample.processes[1]!.state).toBe('T');
	});

	it('count a pid read afresh under another parent in no tree, however many trees go through the parent it had', async () => {
		const parent = startProcess('sleep', ['60']);
		// Its parent is this test's process: as last read, it was the sleeper's child (a pid since taken).
		const taken = startProcess('sleep', ['60']);
		await asleep(parent.pid!);
		await asleep(taken.pid!);
		const table = scanProcesses();
		const now = table.byPid.get(taken.pid!)!;
		table.byPid.set(taken.pid!, {...now, ppid: parent.pid!});
		table.children.set(process.pid, (table.children.get(process.pid) ?? []).filter(pid => pid !== taken.pid));
		table.children.set(parent.pid!, [taken.pid!]);
		table.stale = new Set([taken.pid!]);
		// Two jobs name the same process (a job folder copied): each tree is the sleeper alone.
		const target = {pid: parent.pid!, processStartMs: null, notAfterMs: null, ownerUid: process.getuid!()};
		const samples = new Sampler().sample([{key: 'a', ...target}, {key: 'b', ...target}], table);
		expect(samples.get('a')!.processes.map(({pid}) => pid)).toEqual([parent.pid]);
		expect(samples.get('b')!.processes.map(({pid}) => pid)).toEqual([parent.pid]);
	});
});
