import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {manifestName} from '../../jobs/job-layout.js';
import {manifestStamp} from '../../jobs/timestamps.js';
import {createManifest, updateManifest, type UpdateOutcome} from '../../jobs/update-manifest.js';
import {readProcess} from '../../sentinel/observe/process-table.js';
import type {Role} from '../../types.js';
import type {CommandEnd} from './held-command.js';

/** What a run knows about the process it started. */
export type StartFacts = {
	jobId: string;
	role: Role;
	pid: number;
	/** When the process started, epoch ms. */
	processStartMs: number;
	/** The command as one line, for display. */
	command: string;
};

/** Whether a write happened; when not, why, and the status the manifest holds. */
export type RecordResult = {recorded: true} | {recorded: false; status: string | null; pid: unknown; reason: string};

const lockRetryMs = 100;
const identityToleranceMs = 2000;

type Manifest = Record<string, unknown>;

// In the manifest's own form: naive local for a new one, as Logist writes them (SPEC section 2).
function now(manifest: Manifest): string {
	return manifestStamp(manifest, Date.now());
}

function history(manifest: Manifest): unknown[] {
	return Array.isArray(manifest['history']) ? manifest['history'] : [];
}

function running(current: Manifest, facts: StartFacts, event: Manifest): Manifest {
	const {exit_code: _exitCode, signal: _signal, ...kept} = current;
	const stamp = now(current);
	return {
		...kept,
		job_id: facts.jobId,
		status: 'RUNNING',
		role: facts.role,
		process_id: facts.pid,
		process_start: new Date(facts.processStartMs).toISOString(),
		command: facts.command,
		created_at: current['created_at'] ?? stamp,
		updated_at: stamp,
		history: [...history(current), {timestamp: stamp, ...event}],
	};
}

function statusOf(manifest: Manifest | null): string | null {
	return typeof manifest?.['status'] === 'string' ? manifest['status'] : null;
}

function isStatus(manifest: Manifest, status: string): boolean {
	return statusOf(manifest)?.toUpperCase() === status;
}

// The process a manifest names, if it still lives (and is that process, when a start time says so).
function livingProcess(manifest: Manifest): number | null {
	const metadata = manifest['metadata'] as Manifest | undefined;
	const pid = manifest['process_id'] ?? manifest['pid'] ?? metadata?.['pid'];
	if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) return null;
	const info = readProcess(pid);
	if (!info || info.state === 'Z') return null;
	const start = typeof manifest['process_start'] === 'string' ? Date.parse(manifest['process_start']) : Number.NaN;
	if (!Number.isNaN(start) && Math.abs(info.startTimeMs - start) > identityToleranceMs) return null;
	return pid;
}

// The lock is held by a sentinel's write (milliseconds) or another tool: worth a short wait.
async function updateWithRetry(manifestPath: string, change: (current: Manifest) => Manifest | null, waitMs: number): Promise<UpdateOutcome> {
	const deadline = Date.now() + waitMs;
	for (;;) {
		const result = await updateManifest(manifestPath, change);
		if ((result.outcome !== 'locked' && result.outcome !== 'changed') || Date.now() >= deadline) return result;
		await sleep(lockRetryMs);
	}
}

function notWritten(result: UpdateOutcome, seen: Manifest | null, waitMs: number): RecordResult {
	const reason =
		result.outcome === 'locked'
			? `its lock stayed busy for ${waitMs / 1000}s`
			: result.outcome === 'failed'
				? result.error
				: `its status is ${statusOf(seen) ?? 'gone'}`;
	return {recorded: false, status: statusOf(seen), pid: seen?.['process_id'], reason};
}

/**
 * Write the manifest of a first start: a new job directory gets a new manifest; an existing one
 * (an `--id` used before) is taken over unless its process still runs.
 */
export async function recordStart(jobDir: string, facts: StartFacts, lockWaitMs: number): Promise<RecordResult> {
	const fresh = running({}, facts, {event: 'JOB_STARTED'});
	try {
		await createManifest(jobDir, fresh);
		return {recorded: true};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return {recorded: false, status: null, pid: null, reason: (error as Error).message};
	}
	let seen: Manifest | null = null;
	let busyPid: number | null = null;
	const result = await updateWithRetry(
		path.join(jobDir, manifestName),
		current => {
			seen = current;
			busyPid = livingProcess(current);
			return busyPid === null ? running(current, facts, {event: 'JOB_STARTED'}) : null;
		},
		lockWaitMs,
	);
	if (result.outcome === 'written') return {recorded: true};
	if (busyPid !== null) return {recorded: false, status: statusOf(seen), pid: busyPid, reason: `its process ${busyPid} still runs`};
	return notWritten(result, seen, lockWaitMs);
}

/** After a recovery: RUNNING again with the new process, only if the job is still the PENDING one we left. */
export async function recordRestart(manifestPath: string, previousPid: number, facts: StartFacts, restart: number, lockWaitMs: number): Promise<RecordResult> {
	let seen: Manifest | null = null;
	const result = await updateWithRetry(
		manifestPath,
		current => {
			seen = current;
			if (!isStatus(current, 'PENDING') || current['process_id'] !== previousPid) return null;
			return running(current, facts, {event: 'JOB_RESTARTED', restart, previous_process_id: previousPid});
		},
		lockWaitMs,
	);
	return result.outcome === 'written' ? {recorded: true} : notWritten(result, seen, lockWaitMs);
}

/** SUCCESS or FAILED, by compare-and-set: only while the manifest still says RUNNING with our pid. */
export async function recordEnd(manifestPath: string, pid: number, end: CommandEnd, lockWaitMs: number): Promise<RecordResult> {
	let seen: Manifest | null = null;
	const result = await updateWithRetry(
		manifestPath,
		current => {
			seen = current;
			if (!isStatus(current, 'RUNNING') || current['process_id'] !== pid) return null;
			const stamp = now(current);
			const failed = end.exitCode !== 0;
			const signal = end.signal ? {signal: end.signal} : {};
			return {
				...current,
				status: failed ? 'FAILED' : 'SUCCESS',
				exit_code: end.exitCode,
				...signal,
				updated_at: stamp,
				history: [...history(current), {event: failed ? 'JOB_FAILED' : 'JOB_COMPLETED', timestamp: stamp, exit_code: end.exitCode, ...signal}],
			};
		},
		lockWaitMs,
	);
	return result.outcome === 'written' ? {recorded: true} : notWritten(result, seen, lockWaitMs);
}
