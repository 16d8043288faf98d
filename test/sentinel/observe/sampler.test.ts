import type {ChildProcess} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {procfsAvailable, readProcess, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import {Sampler, type SampleTarget} from '../../../source/sentinel/observe/sampler.js';
import {startNode, startProcess, waitFor} from '../../helpers/processes.js';

const uid = process.getuid!();
const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function target(pid: number, overrides: Partial<SampleTarget> = {}): SampleTarget {
	return {key: `/jobs/${pid}`, pid, processStartMs: null, notAfterMs: null, ownerUid: uid, ...overrides};
}

function firstLine(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
		});
		child.once('exit', () => reject(new Error('exited before printing')));
	});
}

async function childrenOf(pid: number, count: number): Promise<void> {
	expect(await waitFor(() => (scanProcesses().children.get(pid)?.length ?? 0) >= count)).toBe(true);
}

describe.runIf(procfsAvailable)('Sampler', () => {
	it('reads a CPU spinner near 100 % on its second sample, its first untrusted', async () => {
		const spinner = startNode('for (;;) {}');
		await pause(200);
		const sampler = new Sampler();
		const first = sampler.sample([target(spinner.pid!)]).get(`/jobs/${spinner.pid}`)!;
		expect(first.lost).toBeNull();
		expect(first.cpuTrusted).toBe(false);
		expect(first.processes[0]!.cpuPercent).toBeNull();
		await pause(500);
		const second = sampler.sample([target(spinner.pid!)]).get(`/jobs/${spinner.pid}`)!;
		expect(second.cpuTrusted).toBe(true);
		// Near one core, never much above; the two cores here are shared, so the floor is loose.
		expect(second.cpuPercent).toBeGreaterThan(15);
		expect(second.cpuPercent).toBeLessThan(115);
		const burntMs = second.processes[0]!.cpuTimeMs - first.processes[0]!.cpuTimeMs;
		expect(second.cpuPercent).toBeCloseTo((burntMs / (second.at - first.at)) * 100, -1);
	});

	it('reads an idle sleep near 0 %', async () => {
		const idle = startProcess('sleep', ['30']);
		const sampler = new Sampler();
		sampler.sample([target(idle.pid!)]);
		await pause(500);
		const sample = sampler.sample([target(idle.pid!)]).get(`/jobs/${idle.pid}`)!;
		expect(sample.cpuTrusted).toBe(true);
		expect(sample.cpuPercent).toBeLessThan(5);
	});

	it('sums a parent and its 3 children, RSS of a 100 MB child included', async () => {
		const hog = 'const b = Buffer.alloc(100 * 2 ** 20, 1); setInterval(() => b[0]++, 1000)';
		const parent = startProcess('sh', ['-c', `sleep 30 & sleep 30 & "${process.execPath}" -e '${hog}' & wait`]);
		await childrenOf(parent.pid!, 3);
		const sampler = new Sampler();
		let sample = sampler.sample([target(parent.pid!)]).get(`/jobs/${parent.pid}`)!;
		expect(await waitFor(() => {
			sample = sampler.sample([target(parent.pid!)]).get(`/jobs/${parent.pid}`)!;
			return sample.rssBytes >= 100 * 2 ** 20;
		})).toBe(true);
		expect(sample.processes).toHaveLength(4);
		expect(sample.processes[0]!.pid).toBe(parent.pid);
		expect(sample.processes.slice(1).every(member => member.ppid === parent.pid)).toBe(true);
		expect(sample.rssBytes).toBe(sample.processes.reduce((sum, member) => sum + member.rssBytes, 0));
		expect(sample.cpuPercent).toBeCloseTo(sample.processes.reduce((sum, member) => sum + (member.cpuPercent ?? 0), 0), 6);
	});

	it('gives a child born since the last sample its lifetime average, and one seen before null', async () => {
		const parent = startProcess('sh', ['-c', 'sleep 30 & sleep 0.5; sleep 30 & wait']);
		await childrenOf(parent.pid!, 2);
		const sampler = new Sampler();
		const first = sampler.sample([target(parent.pid!)]).get(`/jobs/${parent.pid}`)!;
		expect(first.processes.length).toBeGreaterThanOrEqual(2);
		expect(first.processes.every(member => member.cpuPercent === null)).toBe(true);
		const isBorn = (pid: number) => !first.processes.some(old => old.pid === pid);
		expect(await waitFor(() => (scanProcesses().children.get(parent.pid!) ?? []).some(isBorn))).toBe(true);
		const second = sampler.sample([target(parent.pid!)]).get(`/jobs/${parent.pid}`)!;
		const born = second.processes.find(member => isBorn(member.pid))!;
		expect(born.cpuPercent).toBeGreaterThanOrEqual(0);
		expect(second.processes.every(member => member.cpuPercent !== null)).toBe(true);
	});

	it('starts a reused pid afresh: another start time is another process', async () => {
		const idle = startProcess('sleep', ['30']);
		const sampler = new Sampler();
		sampler.sample([target(idle.pid!)]);
		const table = scanProcesses();
		const info = table.byPid.get(idle.pid!)!;
		table.byPid.set(idle.pid!, {...info, startTimeMs: info.startTimeMs + 5000});
		const sample = sampler.sample([target(idle.pid!)], table).get(`/jobs/${idle.pid}`)!;
		expect(sample.lost).toBeNull();
		expect(sample.cpuTrusted).toBe(false);
	});

	it('keeps the processes of a tree that did not move, and makes new ones for a tree that did', async () => {
		const idle = startProcess('sh', ['-c', 'sleep 30 & wait']);
		const spinner = startNode('for (;;) {}');
		await childrenOf(idle.pid!, 1);
		const sampler = new Sampler();
		const targets = [target(idle.pid!), target(spinner.pid!)];
		sampler.sample(targets);
		await pause(200);
		const before = sampler.sample(targets);
		await pause(200);
		const after = sampler.sample(targets);
		const still = after.get(`/jobs/${idle.pid}`)!;
		expect(still.processes).toBe(before.get(`/jobs/${idle.pid}`)!.processes);
		expect(still.processes.map(member => member.cpuPercent)).toEqual([0, 0]);
		const busy = after.get(`/jobs/${spinner.pid}`)!;
		expect(busy.processes).not.toBe(before.get(`/jobs/${spinner.pid}`)!.processes);
		expect(busy.processes[0]!.cpuTimeMs).toBeGreaterThan(before.get(`/jobs/${spinner.pid}`)!.processes[0]!.cpuTimeMs);
	});

	it('measures a process shared by two trees once, and forgets processes that exit', async () => {
		const parent = startProcess('sh', ['-c', 'sleep 1 & sleep 30 & wait']);
		await childrenOf(parent.pid!, 2);
		const sampler = new Sampler();
		const [short, long] = scanProcesses().children.get(parent.pid!)!;
		sampler.sample([target(parent.pid!)]);
		expect(sampler.trackedProcesses).toBe(3);
		await pause(300);
		const table = scanProcesses();
		const samples = sampler.sample([target(parent.pid!), target(long!, {key: 'inner'})], table);
		const inParent = samples.get(`/jobs/${parent.pid}`)!.processes.find(member => member.pid === long)!;
		expect(samples.get('inner')!.processes[0]!.cpuPercent).toBe(inParent.cpuPercent);
		expect(await waitFor(() => readProcess(short!) === null)).toBe(true);
		sampler.sample([target(parent.pid!)]);
		expect(sampler.trackedProcesses).toBe(2);
	});
});

describe.runIf(procfsAvailable)('Sampler identity', () => {
	it('says gone for a pid whose process exited', async () => {
		const child = startNode('');
		await new Promise(resolve => child.once('exit', resolve));
		const sample = new Sampler().sample([target(child.pid!)]).get(`/jobs/${child.pid}`)!;
		expect(sample).toMatchObject({lost: `pid ${child.pid} is gone`, processes: [], cpuPercent: 0, rssBytes: 0, cpuTrusted: false});
	});

	it('says zombie for an exited child its parent does not reap', async () => {
		const script = 'import os,time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)';
		const parent = startProcess('python3', ['-c', script], {stdio: ['ignore', 'pipe', 'ignore']});
		const zombie = Number(await firstLine(parent));
		expect(await waitFor(() => readProcess(zombie)?.state === 'Z')).toBe(true);
		expect(readProcess(zombie)!.ppid).toBe(parent.pid);
		const sample = new Sampler().sample([target(zombie)]).get(`/jobs/${zombie}`)!;
		expect(sample.lost).toMatch(/zombie/);
		expect(sample.processes).toEqual([]);
	});

	it('checks the start time against process_start (2 s) or the manifest mtime', async () => {
		const spawnedAt = Date.now();
		const idle = startProcess('sleep', ['30']);
		const started = readProcess(idle.pid!)!.startTimeMs;
		const lost = (overrides: Partial<SampleTarget>) => new Sampler().sample([target(idle.pid!, overrides)]).get(`/jobs/${idle.pid}`)!.lost;
		expect(lost({processStartMs: spawnedAt})).toBeNull();
		expect(lost({processStartMs: started + 1500})).toBeNull();
		expect(lost({processStartMs: started - 10_000})).toMatch(/not at process_start/);
		expect(lost({notAfterMs: Date.now()})).toBeNull();
		expect(lost({notAfterMs: started - 5000})).toMatch(/after the manifest named it/);
	});

	it('says whose process it is when the owner differs', async () => {
		const idle = startProcess('sleep', ['30']);
		const sample = new Sampler().sample([target(idle.pid!, {ownerUid: uid + 1})]).get(`/jobs/${idle.pid}`)!;
		expect(sample.lost).toContain(`uid ${uid}`);
		expect(sample.lost).toContain(`uid ${uid + 1}`);
		expect(sample.processes).toEqual([]);
	});
});

describe('Sampler fallback (pidusage, root processes only)', () => {
	it('reads the root one tick late, trusts its CPU from the second read, and sees it gone', async () => {
		const spinner = startNode('for (;;) {}');
		const sampler = new Sampler({platform: 'darwin'});
		expect(sampler.mode).toBe('pidusage-roots');
		const key = `/jobs/${spinner.pid}`;
		expect(sampler.sample([target(spinner.pid!)]).get(key)).toMatchObject({lost: null, processes: [], cpuTrusted: false});
		await sampler.settle();
		const second = sampler.sample([target(spinner.pid!)]).get(key)!;
		expect(second).toMatchObject({lost: null, cpuTrusted: false});
		expect(second.processes).toHaveLength(1);
		expect(second.rssBytes).toBeGreaterThan(0);
		await sampler.settle();
		await pause(300);
		sampler.sample([target(spinner.pid!)]);
		await sampler.settle();
		expect(sampler.sample([target(spinner.pid!)]).get(key)!.cpuTrusted).toBe(true);
		expect(sampler.sample([target(spinner.pid!, {processStartMs: Date.now() - 3_600_000})]).get(key)!.lost).toMatch(/process_start/);
		spinner.kill('SIGKILL');
		await new Promise(resolve => spinner.once('exit', resolve));
		expect(sampler.sample([target(spinner.pid!)]).get(key)!.lost).toBe(`pid ${spinner.pid} is gone`);
	});
});
