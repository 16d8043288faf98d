import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import type {ProcessInfo} from '../../types.js';
import {bootTimeMs, kernelUnits} from './kernel-units.js';
import {readProcFile} from './proc-file.js';
import {bufferHolds, parseStat, readStatFrom, readStatInto, readStatText, statLine} from './stat-file.js';

export {kernelUnits} from './kernel-units.js';

/** Every process on the machine as read in one pass over /proc. */
export type ProcessTable = {
	byPid: Map<number, ProcessInfo>;
	/** Parent pid -> its children's pids, from the same pass. */
	children: Map<number, number[]>;
	/** When the pass ran (epoch ms). */
	scannedAt: number;
	/** When the pass ran on the monotonic clock, so CPU rates survive wall-clock jumps; hand-made tables may leave it out. */
	monotonicMs?: number;
	/** The processes a partial pass took as they were last read, not read again (freshProcess reads one). */
	stale?: Set<number>;
};

/** True where processes are read from /proc (Linux); elsewhere the table is empty and the sampler falls back to pidusage. */
export const procfsAvailable = process.platform === 'linux';

/** One process read afresh from /proc, or null when it is gone (or off Linux). */
export function readProcess(pid: number): ProcessInfo | null {
	if (!procfsAvailable || !Number.isInteger(pid) || pid < 1) return null;
	const text = readStatText(pid);
	if (text === null) return null;
	const {ticksPerSecond, pageBytes} = kernelUnits();
	return parseStat(text, bootTimeMs(), ticksPerSecond, pageBytes);
}

/** The real uid of a process (first field of `Uid:` in /proc/<pid>/status), or null when unreadable. */
export function readRealUid(pid: number): number | null {
	if (!procfsAvailable || !Number.isInteger(pid) || pid < 1) return null;
	try {
		const match = /^Uid:\s+(\d+)/m.exec(readProcFile(`/proc/${pid}/status`));
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}

/** `fd` is the stat file held open between scans (-1: opened and closed each scan). */
type LastRead = {file: string; line: string; info: ProcessInfo; scan: number; fd: number};

/**
 * What the scans read of each process, by pid: a stat line that reads the same byte for byte is
 * the same process in the same state, and keeps the info parsed from it. Most processes sleep
 * from one tick to the next; parsing each of them afresh was most of a tick's garbage.
 */
const lastRead = new Map<number, LastRead>();
/** The boot time the kept infos were parsed with. */
let lastReadBootMs: number | null = null;
let scans = 0;

/**
 * How many stat files are held open between scans at most: a quarter of the descriptors this
 * process may open, and never more than the output files it may hold (keptLimit), so what it
 * holds never starves a manifest read or a signal's checks of a descriptor.
 */
let heldLimit: number | null = null;
let held = 0;
/** The processes whose stat file is worth holding: those of the trees sampled (Sampler). */
let worthHolding: (pid: number) => boolean = () => false;

/**
 * Hold the stat files of the processes `wanted` names open from the next scan on, within
 * `heldLimit`: a held file is read again with one pread, where one opened afresh takes an open,
 * a read and a close (8 µs a process here, 3.5 held). A process that exits makes its held file
 * fail with ESRCH; it is closed, and its pid, should a new process have it, opened afresh.
 */
export function holdStatFiles(wanted: (pid: number) => boolean): void {
	worthHolding = wanted;
}

/** The soft limit of open files (/proc/self/limits); 1,024 when it cannot be read. */
function openFilesLimit(): number {
	try {
		const match = /^Max open files\s+(\d+|unlimited)/m.exec(readProcFile('/proc/self/limits'));
		return match?.[1] === 'unlimited' ? 1 << 20 : Number(match?.[1] ?? 1024);
	} catch {
		return 1024;
	}
}

/** Read a held stat file into `statBuffer`: its length, or -1 (the file closed) when its process is gone. */
function readHeld(read: LastRead): number {
	try {
		return readStatFrom(read.fd);
	} catch {
		letGo(read);
		return -1;
	}
}

function letGo(read: LastRead): void {
	if (read.fd < 0) return;
	try {
		fs.closeSync(read.fd);
	} catch {}
	read.fd = -1;
	held--;
}

/** Hold `read`'s stat file open when its process is worth it and there is room; or let it go when no longer. */
function holdOrLetGo(read: LastRead, pid: number): void {
	const wanted = worthHolding(pid);
	if (read.fd >= 0) {
		if (!wanted) letGo(read);
		return;
	}
	heldLimit ??= Math.min(1024, Math.floor(openFilesLimit() / 4));
	if (!wanted || held >= heldLimit) return;
	try {
		read.fd = fs.openSync(read.file, 'r');
		held++;
	} catch {}
}

/** A partial scan is followed by full ones this often at the least: every fifth scan of a sampler reads every process. */
const partialsInRow = 4;
let partials = 0;

/**
 * Read every process once: one readdir of /proc and one stat file each, held open for the
 * processes of sampled trees (holdStatFiles). Processes that exit mid-scan are skipped.
 *
 * `partial` (the sampler's ticks): a process seen before and of no sampled tree is taken as it was
 * last read, in `stale`, so a tick reads what it samples and what is new, not every process on the
 * machine. What that can miss: a pid taken by a new process since it was last read, a reparented
 * process, a foreign process's moves; so four partial scans in a row at most, then a full one. The
 * safety checks before a signal and the evidence always scan in full.
 */
export function scanProcesses(options: {partial?: boolean} = {}): ProcessTable {
	const byPid = new Map<number, ProcessInfo>();
	const children = new Map<number, number[]>();
	const table: ProcessTable = {byPid, children, scannedAt: Date.now(), monotonicMs: performance.now()};
	if (!procfsAvailable) return table;
	const {ticksPerSecond, pageBytes} = kernelUnits();
	const bootMs = bootTimeMs();
	// Start times are the boot time plus ticks: after the wall clock steps, every line is parsed afresh.
	if (bootMs !== lastReadBootMs) {
		lastRead.forEach(letGo);
		lastRead.clear();
		lastReadBootMs = bootMs;
	}
	const scan = ++scans;
	const partial = options.partial === true && partials < partialsInRow;
	partials = partial ? partials + 1 : 0;
	const stale = partial ? new Set<number>() : undefined;
	table.stale = stale;
	for (const entry of fs.readdirSync('/proc')) {
		const first = entry.charCodeAt(0);
		if (first < 48 || first > 57) continue;
		const pid = Number(entry);
		let known = lastRead.get(pid);
		if (stale && known && !worthHolding(pid)) {
			letGo(known);
			known.scan = scan;
			stale.add(pid);
			addTo(table, known.info);
			continue;
		}
		const file = known?.file ?? `/proc/${entry}/stat`;
		let length = known && known.fd >= 0 ? readHeld(known) : -1;
		if (length < 0) length = readStatInto(file);
		if (length < 0) continue;
		let info: ProcessInfo | null;
		if (known && bufferHolds(known.line, length)) {
			known.scan = scan;
			info = known.info;
		} else {
			const line = statLine(file, length);
			info = line === null ? null : parseStat(line, bootMs, ticksPerSecond, pageBytes);
			if (line === null || !info) continue;
			if (known) {
				known.line = line;
				known.info = info;
				known.scan = scan;
			} else {
				known = {file, line, info, scan, fd: -1};
				lastRead.set(pid, known);
			}
		}
		holdOrLetGo(known, pid);
		addTo(table, info);
	}
	// Without arrays per entry, as a for-of over the map would make.
	lastRead.forEach((read, pid) => {
		if (read.scan === scan) return;
		letGo(read);
		lastRead.delete(pid);
	});
	return table;
}

function addTo(table: ProcessTable, info: ProcessInfo): void {
	table.byPid.set(info.pid, info);
	const siblings = table.children.get(info.ppid);
	if (siblings) siblings.push(info.pid);
	else table.children.set(info.ppid, [info.pid]);
}

/**
 * The process `info` as it is now: read afresh when the table took it as last read (stale), and
 * put in the table so; null, and out of the table, when it is gone.
 */
export function freshProcess(table: ProcessTable, info: ProcessInfo): ProcessInfo | null {
	if (table.stale?.has(info.pid) !== true) return info;
	table.stale.delete(info.pid);
	const fresh = readProcess(info.pid);
	if (fresh) table.byPid.set(info.pid, fresh);
	else table.byPid.delete(info.pid);
	return fresh;
}

/**
 * Every descendant of `pid` in the table (children first, then theirs), the process itself left
 * out; as they are now (freshProcess): one that joined the tree since a partial scan is read then.
 */
export function descendantsOf(table: ProcessTable, pid: number): ProcessInfo[] {
	if (!table.children.has(pid)) return [];
	const found: ProcessInfo[] = [];
	const seen = new Set<number>([pid]);
	const queue = [pid];
	for (let index = 0; index < queue.length; index++) {
		const parent = queue[index]!;
		for (const child of table.children.get(parent) ?? []) {
			const listed = table.byPid.get(child);
			const info = listed && !seen.has(child) ? freshProcess(table, listed) : null;
			// Read afresh (now, or by an earlier tree of this table), another process may have the pid,
			// a child of another, while `children` still lists it as last read.
			if (!info || (table.stale !== undefined && info.ppid !== parent)) continue;
			seen.add(child);
			found.push(info);
			queue.push(child);
		}
	}
	return found;
}

/** The pids above `pid` in the table, its parent first, up to the root of the tree. */
export function ancestorsOf(table: ProcessTable, pid: number): number[] {
	const found: number[] = [];
	const seen = new Set<number>([pid]);
	let parent = table.byPid.get(pid)?.ppid;
	while (parent !== undefined && parent > 0 && !seen.has(parent)) {
		found.push(parent);
		seen.add(parent);
		parent = table.byPid.get(parent)?.ppid;
	}
	return found;
}
