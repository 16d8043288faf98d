import fs from 'node:fs';
import {once} from 'node:events';
import {afterEach, describe, expect, it} from 'vitest';
import {holdStatFiles, procfsAvailable, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import {Sampler} from '../../../source/sentinel/observe/sampler.js';
import {startProcess, waitFor} from '../../helpers/processes.js';

/** This process's descriptors open on `/proc/<pid>/stat`. */
function heldFor(pid: number): string[] {
	return fs.readdirSync('/proc/self/fd').filter(fd => {
		try {
			return fs.readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/stat`;
		} catch {
			return false;
		}
	});
}

describe.runIf(procfsAvailable)('stat files held open between scans', () => {
	afterEach(() => {
		// Nothing held once the test is done: the next scan lets every file go.
		holdStatFiles(() => false);
		scanProcesses();
	});

	it('holds the stat file of a process of a sampled tree, and reads its changes through it', async () => {
		const child = startProcess('sleep', ['60']);
		const pid = child.pid!;
		holdStatFiles(wanted => wanted === pid);
		expect(scanProcesses().byPid.get(pid)?.name).toBe('sleep');
		const held = heldFor(pid);
		expect(held).toHaveLength(1);
		process.kill(pid, 'SIGSTOP');
		expect(await waitFor(() => scanProcesses().byPid.get(pid)?.state === 'T')).toBe(true);
		process.kill(pid, 'SIGCONT');
		expect(await waitFor(() => scanProcesses().byPid.get(pid)?.state === 'S')).toBe(true);
		// The same descriptor all along: read again, not opened again.
		expect(heldFor(pid)).toEqual(held);
	});

	it('holds no file of a process no sampled tree has', async () => {
		const child = startProcess('sleep', ['60']);
		holdStatFiles(() => false);
		expect(scanProcesses().byPid.has(child.pid!)).toBe(true);
		expect(heldFor(child.pid!)).toEqual([]);
	});

	it('closes the file of a process that exits, and of one no longer sampled', async () => {
		const leaving = startProcess('sleep', ['60']);
		const staying = startProcess('sleep', ['60']);
		const pids = new Set([leaving.pid!, staying.pid!]);
		holdStatFiles(pid => pids.has(pid));
		scanProcesses();
		expect(heldFor(leaving.pid!)).toHaveLength(1);
		expect(heldFor(staying.pid!)).toHaveLength(1);
		const exited = once(leaving, 'exit');
		leaving.kill('SIGKILL');
		await exited;
		const table = scanProcesses();
		expect(table.byPid.has(leaving.pid!)).toBe(false);
		expect(heldFor(leaving.pid!)).toEqual([]);
		expect(table.byPid.get(staying.pid!)?.name).toBe('sleep');
		pids.delete(staying.pid!);
		scanProcesses();
		expect(heldFor(staying.pid!)).toEqual([]);
	});

	it('lets go of the file of a process that leaves every tree a sampler samples', async () => {
		const child = startProcess('sleep', ['60']);
		const pid = child.pid!;
		const sampler = new Sampler();
		const job = {key: 'job', pid, processStartMs: null, notAfterMs: null, ownerUid: process.getuid!()};
		sampler.sample([job]);
		sampler.sample([job]);
		expect(heldFor(pid)).toHaveLength(1);
		// The job is no longer sampled (gone from the jobs directory): its process lives on.
		sampler.sample([]);
		sampler.sample([]);
		expect(sampler.trackedProcesses).toBe(0);
		expect(heldFor(pid)).toEqual([]);
	});
});
