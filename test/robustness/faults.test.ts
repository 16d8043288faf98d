// Issue 6, faults: the built sentinel killed with SIGKILL in the middle of its recoveries, thirty
// times in a row, then one clean run. Whatever moment the kills hit, the manifests stay whole
// JSON, the audit log stays readable, the hourly limit holds across the restarts, and no
// intervention is carried out twice.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ChildProcess} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {AuditLog, parseAuditLine} from '../../source/sentinel/act/audit-log.js';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../source/types.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const cliPath = fileURLToPath(new URL('../../dist/bin/sentinel-tui.js', import.meta.url));
const jobCount = 8;
const maxInterventions = 5;
const crashes = 30;

type Line = {type: string; [field: string]: unknown};

/** A headless sentinel on `jobsDir`, its JSON lines collected as they arrive. */
function startSentinel(jobsDir: string, home: string): {child: ChildProcess; lines: Line[]; stderr: () => string; exited: Promise<number | null>} {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) if (!/^(SENTINEL_|LOGIST_|XDG_)/.test(name)) env[name] = value;
	const child = startProcess(
		process.execPath,
		[cliPath, '--headless', jobsDir, '--interval', '300ms', '--worker-timeout', '1m', '--critical-timeout', '1h', '--grace', '1s', '--max-interventions', String(maxInterventions)],
		{stdio: ['ignore', 'pipe', 'pipe'], env: {...env, HOME: home}},
	);
	const lines: Line[] = [];
	let stderr = '';
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	let pending = '';
	child.stdout!.on('data', chunk => {
		const text = pending + String(chunk);
		const parts = text.split('\n');
		pending = parts.pop()!;
		for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part) as Line);
	});
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	return {child, lines, stderr: () => stderr, exited};
}

/** Hung jobs: real processes, silent for ten minutes. Half of them ignore SIGTERM, so each stop lasts the grace period. */
function setUpHungJobs(jobsDir: string): {name: string; pid: number}[] {
	const longAgo = new Date(Date.now() - 10 * 60_000);
	return Array.from({length: jobCount}, (_, index) => {
		const name = `hung-${index}`;
		const stubborn = index % 2 === 0;
		const child = stubborn ? startProcess('sh', ['-c', 'trap "" TERM; exec sleep 300']) : startProcess('sleep', ['300']);
		const pid = child.pid!;
		const startTimeMs = readProcess(pid)!.startTimeMs;
		const dir = writeJob(jobsDir, name, {job_id: name, status: 'RUNNING', process_id: pid, process_start: new Date(startTimeMs).toISOString(), last_activity: longAgo.toISOString(), history: []});
		fs.utimesSync(path.join(dir, 'job_manifest.json'), longAgo, longAgo);
		return {name, pid};
	});
}

/** `started` entries of recover/terminate without a result: actions a kill left half done. */
function openActions(entries: AuditEntry[]): AuditEntry[] {
	const closed = new Set(entries.filter(entry => entry.result !== 'started').map(entry => entry.action_id));
	return entries.filter(entry => entry.result === 'started' && entry.action !== 'notify' && !closed.has(entry.action_id));
}

function isGone(pid: number): boolean {
	const proc = readProcess(pid);
	return proc === null || proc.state === 'Z';
}

function readJson(file: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('sentinel killed with SIGKILL in the middle of recoveries', () => {
	it(`keeps manifests, audit log, hourly limit and single interventions through ${crashes} kills`, {timeout: 120_000}, async () => {
		const jobsDir = makeTempDir('sentinel-faults-');
		const home = makeTempDir('sentinel-home-');
		const jobs = setUpHungJobs(jobsDir);
		const auditFile = path.join(jobsDir, '.sentinel', 'audit.jsonl');
		const kills: string[] = [];
		let killedMidAction = 0;

		for (let round = 0; round < crashes; round++) {
			const sentinel = startSentinel(jobsDir, home);
			const startedLine = await waitFor(() => sentinel.lines.some(line => line.type === 'sentinel.started'), 20_000, 5);
			expect(startedLine, `round ${round}: the sentinel started; stderr: ${sentinel.stderr()}`).toBe(true);
			let moment: string;
			if (round % 3 === 0) {
				// Right after its first intervention line (a `started`, or a resumed action's result), or late if none comes.
				const saw = await waitFor(() => sentinel.lines.some(line => line.type === 'intervention'), 1500, 2);
				moment = saw ? 'first intervention line' : 'no intervention within 1.5 s';
			} else {
				// 0 to 1,520 ms in 80 ms steps, shuffled: from before the first tick, through the writes,
				// into and past the one-second grace periods of the stops.
				const delayMs = ((round - Math.ceil(round / 3)) * 7 % 20) * 80;
				await new Promise(resolve => setTimeout(resolve, delayMs));
				moment = `${delayMs} ms after start`;
			}
			sentinel.child.kill('SIGKILL');
			await sentinel.exited;
			// In the middle: actions begun (by this sentinel or an earlier one) and not finished.
			const open = openActions(new AuditLog(auditFile).readAll()).length;
			if (open > 0) killedMidAction++;
			const results = sentinel.lines.filter(line => line.type === 'intervention').map(line => line['result']);
			kills.push(`${moment}: ${results.join(' ') || 'no intervention lines'}; ${open} open after the kill`);
		}

		// A clean run finishes whatever the kills left open, then stops on SIGTERM.
		const last = startSentinel(jobsDir, home);
		const progress = () => {
			const open = openActions(new AuditLog(auditFile).readAll());
			const recovered = jobs.filter(job => readJson(path.join(jobsDir, job.name, 'job_manifest.json'))['status'] !== 'RUNNING');
			// The jobs held back by the limit get a `skipped` in every run: this run has planned.
			const planned = last.lines.some(line => line.type === 'intervention' && line['result'] === 'skipped');
			return open.length === 0 && recovered.length >= maxInterventions && planned ? 'settled' : `${open.length} open, ${recovered.length} recovered, planned: ${planned}`;
		};
		await waitFor(() => progress() === 'settled', 15_000, 100);
		expect(progress(), JSON.stringify(last.lines.slice(-8))).toBe('settled');
		last.child.kill('SIGTERM');
		expect(await last.exited).toBe(0);
		expect(last.lines.at(-1)?.type).toBe('sentinel.stopped');

		// Every manifest is whole JSON.
		const manifests = new Map(jobs.map(job => [job.name, readJson(path.join(jobsDir, job.name, 'job_manifest.json'))]));

		// The audit log is readable: every line an entry, but for lines torn by a kill, which the reader skips.
		const lines = fs.readFileSync(auditFile, 'utf8').split('\n').filter(line => line !== '');
		const torn = lines.filter(line => parseAuditLine(line) === null);
		expect(torn.length).toBeLessThanOrEqual(crashes);
		for (const line of torn) expect(line.startsWith('{')).toBe(true);
		const entries = new AuditLog(auditFile).readAll();
		expect(entries).toHaveLength(lines.length - torn.length);

		// The hourly limit held across the restarts: each `started` counted once, never more than the limit.
		const startedIds = entries.filter(entry => entry.result === 'started' && entry.actor === 'auto' && entry.action !== 'notify').map(entry => entry.action_id);
		expect(new Set(startedIds).size).toBe(startedIds.length);
		const story = entries.map(entry => `${entry.ts.slice(17)} ${entry.sentinel.pid} ${entry.job_id} ${entry.action} ${entry.result} ${entry.action_id.slice(0, 6)} ${entry.reason.slice(0, 60)}`).join('\n');
		expect(startedIds.length, story).toBeLessThanOrEqual(maxInterventions);
		const state = readJson(path.join(jobsDir, '.sentinel', 'state.json')) as {interventions: {action_id?: string}[]};
		expect(state.interventions.length).toBeLessThanOrEqual(maxInterventions);
		expect(state.interventions.map(item => item.action_id).sort()).toEqual([...startedIds].sort());
		expect(entries.some(entry => entry.result === 'skipped' && entry.reason.startsWith('limit'))).toBe(true);

		// No intervention done twice: one result per action, one history entry per recovered job.
		for (const id of startedIds) {
			const results = entries.filter(entry => entry.action_id === id && entry.result !== 'started');
			expect(results.map(entry => entry.result), `results of ${id}`).toHaveLength(1);
		}
		const okIds = entries.filter(entry => entry.result === 'ok' && entry.action !== 'notify').map(entry => entry.action_id);
		expect(new Set(okIds).size).toBe(okIds.length);
		let recovered = 0;
		for (const job of jobs) {
			const manifest = manifests.get(job.name)!;
			const sentinelEntries = (manifest['history'] as {event?: string; action_id?: string}[]).filter(entry => entry.event?.startsWith('SENTINEL_'));
			const startedForJob = entries.filter(entry => entry.job_id === job.name && entry.result === 'started');
			if (manifest['status'] === 'RUNNING') {
				// Held back by the limit: never written, never signalled.
				expect(sentinelEntries, job.name).toEqual([]);
				expect(startedForJob, job.name).toEqual([]);
				expect(isGone(job.pid), `${job.name} still runs`).toBe(false);
				continue;
			}
			recovered++;
			expect(manifest['status'], job.name).toBe('PENDING');
			expect(sentinelEntries.map(entry => entry.event), job.name).toEqual(['SENTINEL_RECOVERY']);
			expect(startedForJob.map(entry => entry.action_id), job.name).toEqual([sentinelEntries[0]!.action_id]);
			const result = entries.find(entry => entry.action_id === sentinelEntries[0]!.action_id && entry.result !== 'started')!;
			expect(result.result, `${job.name}: ${result.reason}`).toBe('ok');
			expect(result['new_status'], job.name).toBe('PENDING');
			expect(await waitFor(() => isGone(job.pid), 3000), `${job.name}'s process was stopped`).toBe(true);
		}
		expect(recovered).toBe(maxInterventions);

		console.info(`faults: ${crashes} kills, ${killedMidAction} with an action open; ${entries.length} audit entries, ${torn.length} torn lines\n  ${kills.join('\n  ')}`);
	});
});
