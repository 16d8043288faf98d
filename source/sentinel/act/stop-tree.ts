import {performance} from 'node:perf_hooks';
import type {ProcessInfo} from '../../types.js';
import {guardSignalTarget, type SignalGuard} from './identity.js';
import {ancestorsOf, descendantsOf, readProcess, scanProcesses, type ProcessTable} from '../observe/process-table.js';

// Not tree-kill: it lists the tree with one `ps` run after it is called, when the parent may
// already be gone and its children re-parented out of reach; it has no start-time check, so a
// pid reused meanwhile is signalled anyway; and it has no grace, no rescan and no report of who
// needed SIGKILL. Here every member is known by pid and start time from a snapshot taken first.

/** Sends one signal to one process, throwing like `process.kill`. */
export type SignalFunction = (pid: number, signal: NodeJS.Signals) => void;

/** What stopping a tree did. */
export type StopReport = {
	/** Sent SIGTERM. */
	signalled: number[];
	/** Still alive after the grace period (or found in the rescan) and sent SIGKILL. */
	killed: number[];
	/** Never signalled, each with why: pid 1, the sentinel or its ancestors, a failed guard, a reused pid. */
	refused: {pid: number; reason: string}[];
	durationMs: number;
	/** Members still alive at the end. */
	survivors: number[];
};

export type StopOptions = {
	/** How long members get between SIGTERM and SIGKILL, in ms. */
	graceMs: number;
	/** Defaults to process.kill. */
	kill?: SignalFunction;
	/** Defaults to a full scan of /proc. */
	scan?: () => ProcessTable;
	/** Asked right before each signal: null lets it through, a string is why not (e.g. another owner). */
	guard: (pid: number) => string | null;
	/** A clock in ms; only differences are used. Defaults to the monotonic clock. */
	now?: () => number;
	/** Called once with the snapshot and its members (root first), right before the first signal: evidence is taken here. */
	beforeSignals?: (table: ProcessTable, members: number[]) => void;
};

const pollMs = 50;
const killConfirmMs = 500;
/** Rescans, at most, for processes a member started between a rescan and its SIGKILL. */
const killPasses = 5;

/**
 * Stop a job's process tree (SPEC section 5): snapshot the root and its descendants with their
 * start times, SIGTERM them, wait `graceMs` (less when all are gone), rescan for descendants and
 * for processes in groups or sessions led by a member, then SIGKILL every member still alive.
 * A pid whose start time no longer matches the snapshot is never signalled. When the root itself
 * may not be signalled, nothing is.
 */
export async function stopTree(rootPid: number, options: StopOptions): Promise<StopReport> {
	const now = options.now ?? (() => performance.now());
	const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
	const scan = options.scan ?? scanProcesses;
	const started = now();
	const table = scan();
	const self = table.byPid.get(process.pid) ?? readProcess(process.pid);
	const safety: SignalGuard = {selfPid: process.pid, ancestorPids: [process.ppid, ...ancestorsOf(table, process.pid)]};

	/** pid -> start time: who belongs to the tree, by identity. */
	const members = new Map<number, number>();
	const refused = new Map<number, string>();
	const signalled: number[] = [];
	const killed: number[] = [];
	const report = (): StopReport => ({
		signalled,
		killed,
		refused: [...refused].map(([pid, reason]) => ({pid, reason})),
		durationMs: Math.round(now() - started),
		survivors: [...members.keys()].filter(pid => isMember(pid)),
	});
	const isMember = (pid: number) => sameProcess(readProcess(pid), members.get(pid));

	const root = table.byPid.get(rootPid);
	if (!root) return report();
	members.set(rootPid, root.startTimeMs);
	// Stopping "the tree" of init or of our own parent would be stopping everything.
	const rootRefusal = guardSignalTarget(rootPid, safety);
	if (rootRefusal) {
		refused.set(rootPid, rootRefusal);
		return report();
	}
	for (const child of descendantsOf(table, rootPid)) members.set(child.pid, child.startTimeMs);

	const send = (pid: number, signal: NodeJS.Signals): boolean => {
		if (refused.has(pid)) return false;
		const current = readProcess(pid);
		if (!sameProcess(current, members.get(pid))) {
			if (current && current.state !== 'Z') refused.set(pid, `pid ${pid} now belongs to another process (its start time changed)`);
			return false;
		}
		const reason = guardSignalTarget(pid, safety) ?? options.guard(pid);
		if (reason) {
			refused.set(pid, reason);
			return false;
		}
		try {
			kill(pid, signal);
			return true;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'ESRCH') refused.set(pid, `${signal} to pid ${pid} failed: ${code ?? String(error)}`);
			return false;
		}
	};

	options.beforeSignals?.(table, [...members.keys()]);
	for (const pid of members.keys()) if (send(pid, 'SIGTERM')) signalled.push(pid);
	const deadline = now() + options.graceMs;
	while (now() < deadline && signalled.some(pid => isMember(pid))) {
		await sleep(Math.min(pollMs, Math.max(1, deadline - now())));
	}

	// A member may still spawn between a rescan and its SIGKILL: rescan until a pass finds no one new.
	for (let pass = 0; pass < killPasses; pass++) {
		addLateMembers(members, scan(), self);
		const fresh = [...members.keys()].filter(pid => !killed.includes(pid) && send(pid, 'SIGKILL'));
		killed.push(...fresh);
		if (fresh.length === 0) break;
	}
	const confirmBy = now() + killConfirmMs;
	while (now() < confirmBy && killed.some(pid => isMember(pid))) await sleep(10);
	return report();
}

/**
 * Add to `members` what the rescan finds: live descendants of live members, and processes in a
 * process group or session led by a member (a child that left the tree by double fork keeps those),
 * never the sentinel's own group or session.
 */
function addLateMembers(members: Map<number, number>, table: ProcessTable, self: ProcessInfo | null): void {
	const add = (info: ProcessInfo): boolean => {
		if (members.has(info.pid) || info.state === 'Z') return false;
		members.set(info.pid, info.startTimeMs);
		return true;
	};
	for (let grew = true; grew; ) {
		grew = false;
		for (const [pid, startMs] of [...members]) {
			if (!sameProcess(table.byPid.get(pid) ?? null, startMs)) continue;
			for (const child of descendantsOf(table, pid)) grew = add(child) || grew;
		}
		for (const info of table.byPid.values()) {
			const inGroup = members.has(info.pgid) && info.pgid !== self?.pgid;
			const inSession = members.has(info.sid) && info.sid !== self?.sid;
			if (inGroup || inSession) grew = add(info) || grew;
		}
	}
}

/**
 * Whether `current` is still the process first seen with `startMs`. Start times are btime (whole
 * seconds, re-read now and then) plus clock ticks, so the same process can read exactly a second
 * off when btime's rounding moves; any other difference means the pid was reused.
 */
function sameProcess(current: ProcessInfo | null, startMs: number | undefined): boolean {
	if (!current || startMs === undefined || current.state === 'Z') return false;
	const drift = Math.abs(current.startTimeMs - startMs);
	return drift <= 1 || Math.abs(drift - 1000) <= 1;
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
