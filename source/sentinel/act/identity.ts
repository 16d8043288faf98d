import type {ProcessInfo} from '../../types.js';

export {ancestorsOf} from '../observe/process-table.js';

/** How far a process's start time may stray from the manifest's `process_start` (SPEC section 5). */
export const processStartToleranceMs = 2000;

/**
 * How much later than the manifest's first-read mtime a process may seem to have started. Start
 * times come from btime (whole seconds) plus clock ticks, and mtimes from the kernel's coarse
 * clock, so a process started just before its manifest was written can read a little later; one
 * second covers that with room, and a reused pid almost always started far later.
 */
export const notAfterToleranceMs = 1000;

/** Who the job's process should be, from its manifest. */
export type ExpectedProcess = {
	pid: number;
	/** The manifest's `process_start` (epoch ms), when it has one. */
	processStartMs: number | null;
	/** The manifest's mtime when the sentinel first read this pid there (epoch ms), when known. */
	notAfterMs: number | null;
	/** Owner uid of the manifest file. */
	ownerUid: number;
};

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/**
 * Whether `proc` (read afresh, or null when not found) is still the job's process: null when it
 * is, else a one-line reason (gone, zombie, another owner, another start time). `realUid` null
 * means the owner could not be read, which is never taken as a match.
 */
export function checkIdentity(proc: ProcessInfo | null, realUid: number | null, expected: ExpectedProcess): string | null {
	const {pid} = expected;
	if (!proc || proc.pid !== pid) return `pid ${pid} is gone`;
	if (proc.state === 'Z') return `pid ${pid} is a zombie (it exited and was not reaped)`;
	if (realUid === null) return `pid ${pid}: its owner could not be read`;
	if (realUid !== expected.ownerUid) {
		return `pid ${pid} belongs to uid ${realUid}, not to uid ${expected.ownerUid} who owns the manifest`;
	}
	if (expected.processStartMs !== null) {
		const driftMs = Math.abs(proc.startTimeMs - expected.processStartMs);
		if (driftMs > processStartToleranceMs) {
			return `pid ${pid} started at ${iso(proc.startTimeMs)}, not at process_start ${iso(expected.processStartMs)}: another process has the pid`;
		}
	} else if (expected.notAfterMs !== null && proc.startTimeMs > expected.notAfterMs + notAfterToleranceMs) {
		return `pid ${pid} started at ${iso(proc.startTimeMs)}, after the manifest named it (${iso(expected.notAfterMs)}): another process has the pid`;
	}
	return null;
}

/** What the sentinel must never signal: itself and the processes it runs under. */
export type SignalGuard = {
	selfPid: number;
	/** The sentinel's ancestors, e.g. `ancestorsOf(scanProcesses(), process.pid)`. */
	ancestorPids: readonly number[];
};

/**
 * Null when `pid` may be signalled, else why not: pids <= 1 (0 and negatives address process
 * groups, 1 is init), the sentinel itself and its ancestors are refused.
 */
export function guardSignalTarget(pid: number, guard: SignalGuard): string | null {
	if (!Number.isInteger(pid) || pid <= 1) return `refusing to signal pid ${pid}: only single processes above pid 1 are signalled`;
	if (pid === guard.selfPid) return `refusing to signal pid ${pid}: it is the sentinel itself`;
	if (guard.ancestorPids.includes(pid)) return `refusing to signal pid ${pid}: it is an ancestor of the sentinel`;
	return null;
}
