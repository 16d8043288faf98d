import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {descendantsOf, readProcess, scanProcesses} from '../../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../../source/types.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {readAudit, startSentinel, type SentinelLine, type SentinelProcess} from '../../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

type Manifest = Record<string, any>;

/** Short timeouts: low at 1 s of silence, medium at 1.5 s, high (recover) at 2 s; each one can be changed. */
function fast(changes: Record<string, string> = {}): string[] {
	const options = {interval: '250ms', 'worker-timeout': '2s', 'critical-timeout': '60s', grace: '1s', ...changes};
	return Object.entries(options).flatMap(([name, value]) => [`--${name}`, value]);
}

function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

function manifestOf(dir: string): Manifest {
	return JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8')) as Manifest;
}

/** A silent job: a real sleeping process named by a RUNNING manifest. */
function hungJob(jobsDir: string, name: string): {dir: string; pid: number} {
	const sleeper = startProcess('sleep', ['60']);
	return {dir: writeJob(jobsDir, name, {job_id: name, status: 'RUNNING', pid: sleeper.pid}), pid: sleeper.pid!};
}

const isAction = (entry: AuditEntry) => entry.action === 'recover' || entry.action === 'terminate';
const begun = (entries: AuditEntry[]) => entries.filter(entry => isAction(entry) && entry.result === 'started');
const finished = (entries: AuditEntry[]) => entries.filter(entry => isAction(entry) && (entry.result === 'ok' || entry.result === 'failed'));

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

function leaderPid(jobsDir: string): number | null {
	try {
		return (JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'leader.json'), 'utf8')) as {pid: number}).pid;
	} catch {
		return null;
	}
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * A sentinel that has taken its first tick: it has assessed `idle`, a finished job never acted
 * on. Jobs written after this are seen young, however slowly node started on a busy machine.
 */
async function startReadySentinel(jobsDir: string, args: string[]): Promise<SentinelProcess> {
	if (!fs.existsSync(path.join(jobsDir, 'idle'))) writeJob(jobsDir, 'idle', {job_id: 'idle', status: 'SUCCESS'});
	const sentinel = startSentinel(jobsDir, args);
	await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'idle');
	return sentinel;
}

describe('interventions by real headless sentinels', () => {
	it('acts on at most --max-interventions jobs an hour, records the rest as skipped, and remembers across a restart', async () => {
		const jobsDir = makeTempDir();
		const first = await startReadySentinel(jobsDir, [...fast(), '--max-interventions', '2']);
		const jobs = ['a', 'b', 'c', 'd'].map(name => ({name, ...hungJob(jobsDir, name)}));

		const skipped = () => readAudit(jobsDir).filter(entry => isAction(entry) && entry.result === 'skipped');
		// Generous: CI runs this beside the rest of the suite on two cores.
		const settled = await waitFor(() => finished(readAudit(jobsDir)).length === 2 && skipped().length === 2, 20_000);
		expect(settled, `the audit log: ${JSON.stringify(readAudit(jobsDir).map(entry => [entry.job_id, entry.action, entry.result, entry.reason]))}; stderr: ${first.stderr()}`).toBe(true);
		// A few more ticks: nothing more happens.
		await sleep(1000);
		let entries = readAudit(jobsDir);
		expect(begun(entries)).toHaveLength(2);
		expect(finished(entries).map(entry => entry.result)).toEqual(['ok', 'ok']);
		expect(skipped()).toHaveLength(2);
		for (const entry of skipped()) expect(entry.reason).toMatch(/^limit/);
		const acted = finished(entries).map(entry => entry.job_id).sort();
		const held = skipped().map(entry => entry.job_id).sort();
		expect([...acted, ...held].sort()).toEqual(['a', 'b', 'c', 'd']);
		for (const job of jobs) {
			if (acted.includes(job.name)) expect(await waitFor(() => !running(job.pid), 10_000), job.name).toBe(true);
			else expect(running(job.pid), job.name).toBe(true);
		}
		// Instead of the held-back action, the operator hears of it.
		for (const name of held) expect(entries.some(entry => entry.job_id === name && entry.action === 'notify' && /skipped, limit/.test(entry.reason))).toBe(true);
		await first.stop();
		const state = JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'state.json'), 'utf8')) as {interventions: unknown[]};
		expect(state.interventions).toHaveLength(2);

		const second = startSentinel(jobsDir, [...fast(), '--max-interventions', '2']);
		const heldAgain = () => skipped().filter(entry => entry.sentinel.pid === second.pid);
		expect(await waitFor(() => heldAgain().length === 2, 15_000), 'the new sentinel is held back too').toBe(true);
		await sleep(750);
		entries = readAudit(jobsDir);
		expect(begun(entries)).toHaveLength(2);
		expect(heldAgain().map(entry => entry.job_id).sort()).toEqual(held);
		for (const job of jobs.filter(job => held.includes(job.name))) expect(running(job.pid), job.name).toBe(true);
	});

	it('lets only one of two sentinels act, once per job, and the other takes over within a few ticks of a kill -9', async () => {
		const jobsDir = makeTempDir();
		const [one, two] = await Promise.all([startReadySentinel(jobsDir, fast()), startReadySentinel(jobsDir, fast())]);
		expect(await waitFor(() => leaderPid(jobsDir) !== null, 10_000)).toBe(true);
		const jobs = ['p', 'q', 'r'].map(name => ({name, ...hungJob(jobsDir, name)}));

		// Waits are generous: two cores shared with the rest of the suite. Speed is for the benchmarks.
		expect(await waitFor(() => finished(readAudit(jobsDir)).length === 3, 20_000)).toBe(true);
		await sleep(750);
		let entries = readAudit(jobsDir);
		const actor = leaderPid(jobsDir)!;
		expect([one.pid, two.pid]).toContain(actor);
		expect(new Set(entries.map(entry => entry.sentinel.pid))).toEqual(new Set([actor]));
		expect(countBy(begun(entries), entry => entry.job_id)).toEqual({p: 1, q: 1, r: 1});
		expect(countBy(finished(entries), entry => entry.job_id)).toEqual({p: 1, q: 1, r: 1});
		expect(countBy(entries.filter(entry => entry.action === 'notify'), entry => entry.job_id)).toEqual({p: 1, q: 1, r: 1});
		expect(Object.values(countBy(entries.filter(isAction), entry => entry.action_id))).toEqual([2, 2, 2]);
		for (const job of jobs) expect(manifestOf(job.dir)['history']).toHaveLength(1);

		const [gone, other] = actor === one.pid ? [one, two] : [two, one];
		await gone.kill();
		const killedAt = Date.now();
		expect(await waitFor(() => leaderPid(jobsDir) === other.pid, 10_000), 'the other sentinel took the lead').toBe(true);
		// At its next tick (250 ms), or a few later on a loaded machine: only a takeover that waited
		// for some timeout of the dead one's lock fails this.
		expect(Date.now() - killedAt).toBeLessThan(5000);

		const late = hungJob(jobsDir, 'late');
		const wroteAt = fs.statSync(path.join(late.dir, 'job_manifest.json')).mtimeMs;
		expect(await waitFor(() => finished(readAudit(jobsDir)).some(entry => entry.job_id === 'late'), 15_000)).toBe(true);
		entries = readAudit(jobsDir).filter(entry => entry.job_id === 'late');
		const result = finished(entries)[0]!;
		expect(result).toMatchObject({action: 'recover', result: 'ok', sentinel: {pid: other.pid}});
		// High at 2 s of silence; acted on a few ticks after it at most, long before critical (60 s).
		expect(Date.parse(begun(entries)[0]!.ts) - wroteAt).toBeLessThan(6000);
		expect(begun(entries)).toHaveLength(1);
		expect(await waitFor(() => !running(late.pid), 10_000)).toBe(true);
	});

	it('posts interventions to the webhook, and keeps ticking and acting while a notify command hangs', async () => {
		const jobsDir = makeTempDir();
		const received: Manifest[] = [];
		const server = http.createServer((request, response) => {
			let body = '';
			request.on('data', chunk => (body += chunk));
			request.on('end', () => {
				received.push(JSON.parse(body) as Manifest);
				response.writeHead(204).end();
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		onTestFinished(() => {
			server.closeAllConnections();
			server.close();
		});
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
		// A command that never ends; it notes its pid so the test can clean it up (the sentinel would after 10 s).
		const hookPids = path.join(makeTempDir(), 'hook-pids');
		onTestFinished(() => {
			const pids = fs.existsSync(hookPids) ? fs.readFileSync(hookPids, 'utf8').split('\n').filter(Boolean).map(Number) : [];
			for (const pid of pids) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {}
			}
		});
		const hook = `echo $$ >> '${hookPids}'; exec sleep 1000`;
		const sentinel = await startReadySentinel(jobsDir, [...fast(), '--webhook', url, '--on-intervention', hook]);

		const first = hungJob(jobsDir, 'first');
		await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'first' && line['action'] === 'notify', 15_000);
		expect(await waitFor(() => fs.existsSync(hookPids), 10_000), 'the notify command started').toBe(true);
		const hangingSince = Date.now();

		const second = hungJob(jobsDir, 'second');
		const wroteAt = fs.statSync(path.join(second.dir, 'job_manifest.json')).mtimeMs;
		const isSecondResult = (line: SentinelLine) => line.type === 'intervention' && line['job_id'] === 'second' && line['action'] === 'recover' && line['result'] === 'ok';
		const result = await sentinel.waitForLine(isSecondResult, 15_000);
		// High at 2 s, then a 1 s grace: loose, yet well before the hung hook's 10 s limit could have
		// freed a tick that waited for it.
		expect(Date.parse(result.ts) - wroteAt).toBeLessThan(7000);
		const assessments = sentinel.lines.filter(line => line.type === 'assessment' && line['job_id'] === 'second').map(line => line['severity']);
		// Ticks went on while the hook hung (low may fall between two ticks).
		expect(assessments).toEqual(expect.arrayContaining(['ok', 'medium', 'high']));
		expect(await waitFor(() => !running(first.pid) && !running(second.pid), 10_000)).toBe(true);

		// Every hook started so far is still hanging, yet all that happened.
		const pids = fs.readFileSync(hookPids, 'utf8').split('\n').filter(Boolean).map(Number);
		expect(pids.length).toBeGreaterThanOrEqual(2);
		expect(pids.every(pid => running(pid))).toBe(true);
		expect(Date.now() - hangingSince).toBeLessThan(10_000);

		expect(await waitFor(() => received.some(event => event['job_id'] === 'second' && event['action'] === 'recover'), 10_000)).toBe(true);
		const posted = received.find(event => event['job_id'] === 'second' && event['action'] === 'recover')!;
		expect(posted).toMatchObject({action: 'recover', result: 'ok', action_id: result['action_id'], dir: second.dir, severity: 'high', actor: 'auto'});
		expect(received.some(event => event['job_id'] === 'first' && event['action'] === 'notify' && event['result'] === 'ok')).toBe(true);
		// `started` is followed by its result: only the result is posted.
		expect(received.some(event => event['result'] === 'started')).toBe(false);
	});

	it('--dry-run changes no manifest and signals no process, and audits what it would have done as dry-run', async () => {
		const jobsDir = makeTempDir();
		const sentinel = await startReadySentinel(jobsDir, [...fast({'critical-timeout': '3s'}), '--dry-run']);
		const job = hungJob(jobsDir, 'spared');
		const bytes = fs.readFileSync(path.join(job.dir, 'job_manifest.json'));

		await sentinel.waitForLine(line => line.type === 'intervention' && line['action'] === 'terminate', 15_000);
		await sleep(500);
		const entries = readAudit(jobsDir);
		expect(entries.map(entry => [entry.action, entry.result])).toEqual([
			['notify', 'dry-run'],
			['recover', 'dry-run'],
			['terminate', 'dry-run'],
		]);
		expect(entries[1]!.reason).toMatch(/would set RUNNING -> PENDING/);
		expect(fs.readFileSync(path.join(job.dir, 'job_manifest.json'))).toEqual(bytes);
		expect(fs.readdirSync(job.dir)).toEqual(['job_manifest.json']);
		expect(running(job.pid)).toBe(true);
		expect(fs.existsSync(path.join(jobsDir, '.sentinel', 'leader.json'))).toBe(false);
	});

	it('--no-auto never acts and writes no audit entry, but still reports every assessment', async () => {
		const jobsDir = makeTempDir();
		// T = 4 s: the first assessment must come before 0.5 T even on a loaded machine.
		const sentinel = await startReadySentinel(jobsDir, [...fast({'worker-timeout': '4s', 'critical-timeout': '6s'}), '--no-auto']);
		expect(sentinel.lines[0]).toMatchObject({type: 'sentinel.started', auto: false, dry_run: false});
		const job = hungJob(jobsDir, 'watched');
		const bytes = fs.readFileSync(path.join(job.dir, 'job_manifest.json'));

		await sentinel.waitForLine(line => line.type === 'assessment' && line['severity'] === 'critical', 20_000);
		await sleep(500);
		const severities = sentinel.lines.filter(line => line.type === 'assessment' && line['job_id'] === 'watched').map(line => line['severity']);
		// Each change once, in order (a tier only one tick wide may fall between two ticks).
		expect(severities[0]).toBe('ok');
		expect(severities).toEqual(expect.arrayContaining(['medium', 'high', 'critical']));
		expect(severities.at(-1)).toBe('critical');
		expect(sentinel.lines.filter(line => line.type === 'intervention')).toEqual([]);
		expect(readAudit(jobsDir)).toEqual([]);
		expect(fs.readFileSync(path.join(job.dir, 'job_manifest.json'))).toEqual(bytes);
		expect(running(job.pid)).toBe(true);
	});

	it('finishes, once, an action whose sentinel was killed -9 during the grace period', async () => {
		const jobsDir = makeTempDir();
		const root = startProcess('bash', ['-c', 'trap "" TERM; sleep 60 & sleep 60 & wait']);
		let tree: number[] = [];
		expect(
			await waitFor(() => {
				const table = scanProcesses();
				tree = [root.pid!, ...descendantsOf(table, root.pid!).filter(info => info.name === 'sleep').map(info => info.pid)];
				return tree.length === 3;
			}),
		).toBe(true);
		const dir = writeJob(jobsDir, 'interrupted', {job_id: 'interrupted', status: 'RUNNING', pid: root.pid});
		// A long grace, so the kill below lands inside it however loaded the machine.
		const flags = fast({grace: '8s'});
		const first = startSentinel(jobsDir, flags);

		expect(await waitFor(() => begun(readAudit(jobsDir)).length === 1, 15_000)).toBe(true);
		const started = begun(readAudit(jobsDir))[0]!;
		expect(await waitFor(() => manifestOf(dir)['status'] === 'PENDING', 10_000)).toBe(true);
		// Inside the grace period: SIGTERM was sent and ignored, SIGKILL has not come.
		await sleep(500);
		expect(tree.every(pid => running(pid))).toBe(true);
		expect(Date.now() - Date.parse(started.ts)).toBeLessThan(7000);
		await first.kill();
		expect(finished(readAudit(jobsDir))).toEqual([]);
		expect(tree.every(pid => running(pid))).toBe(true);

		const second = startSentinel(jobsDir, flags);
		// Hangs while the new sentinel finishes the interrupted stop: finishing must not hold up its ticks.
		const bystander = hungJob(jobsDir, 'bystander');
		const isResult = (entry: AuditEntry) => entry.action_id === started.action_id && entry.result !== 'started';
		expect(await waitFor(() => readAudit(jobsDir).some(isResult), 20_000)).toBe(true);
		expect(await waitFor(() => finished(readAudit(jobsDir)).some(entry => entry.job_id === 'bystander'), 10_000)).toBe(true);
		await sleep(750);
		const entries = readAudit(jobsDir);
		const results = entries.filter(isResult);
		expect(results).toHaveLength(1);
		expect(results[0]).toMatchObject({action: 'recover', result: 'ok', sentinel: {pid: second.pid}, previous_status: 'RUNNING', new_status: 'PENDING'});
		expect([...results[0]!.pids.killed].sort()).toEqual([...tree].sort());
		const ofInterrupted = entries.filter(entry => entry.job_id === 'interrupted');
		expect(begun(ofInterrupted)).toHaveLength(1);
		expect(finished(ofInterrupted)).toHaveLength(1);
		expect(await waitFor(() => tree.every(pid => !running(pid)), 10_000)).toBe(true);
		const manifest = manifestOf(dir);
		expect(manifest['status']).toBe('PENDING');
		expect((manifest['history'] as Manifest[]).filter(entry => String(entry['event']).startsWith('SENTINEL_'))).toHaveLength(1);

		const bystanderBegan = begun(entries).find(entry => entry.job_id === 'bystander')!;
		expect(bystanderBegan.sentinel.pid).toBe(second.pid);
		expect(Date.parse(bystanderBegan.ts)).toBeLessThan(Date.parse(results[0]!.ts));
		expect(await waitFor(() => !running(bystander.pid), 10_000)).toBe(true);

		await second.stop();
		const state = JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'state.json'), 'utf8')) as {interventions: Array<{job_id: string; action_id: string}>};
		expect(state.interventions.filter(item => item.job_id === 'interrupted').map(item => item.action_id)).toEqual([started.action_id]);
		expect(state.interventions).toHaveLength(2);
	});
});
