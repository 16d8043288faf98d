import fs from 'node:fs';
import os from 'node:os';
import {spawnSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import type {ProcessInfo} from '../types.js';

/** Every process on the machine as read in one pass over /proc. */
export type ProcessTable = {
	byPid: Map<number, ProcessInfo>;
	/** Parent pid -> its children's pids, from the same pass. */
	children: Map<number, number[]>;
	/** When the pass ran (epoch ms). */
	scannedAt: number;
	/** When the pass ran on the monotonic clock, so CPU rates survive wall-clock jumps; hand-made tables may leave it out. */
	monotonicMs?: number;
};

/** True where processes are read from /proc (Linux); elsewhere the table is empty and the sampler falls back to pidusage. */
export const procfsAvailable = process.platform === 'linux';

let units: {ticksPerSecond: number; pageBytes: number} | undefined;

/** Clock ticks per second and bytes per page, as getconf says; read once, they never change while the machine runs. */
export function kernelUnits(): {ticksPerSecond: number; pageBytes: number} {
	units ??= unitsFromAuxv() ?? unitsFromGetconf();
	return units;
}

const auxPageSize = 6;
const auxClockTicks = 17;

// The kernel hands every process these in its auxiliary vector, where getconf itself reads them:
// a file read instead of spawning a shell, which cost 10 ms of the first tick.
function unitsFromAuxv(): {ticksPerSecond: number; pageBytes: number} | null {
	let vector: Buffer;
	try {
		vector = fs.readFileSync('/proc/self/auxv');
	} catch {
		return null;
	}
	const wordBytes = ['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390'].includes(process.arch) ? 4 : 8;
	const little = os.endianness() === 'LE';
	const word = (offset: number): number => {
		if (wordBytes === 4) return little ? vector.readUInt32LE(offset) : vector.readUInt32BE(offset);
		return Number(little ? vector.readBigUInt64LE(offset) : vector.readBigUInt64BE(offset));
	};
	let ticksPerSecond = 0;
	let pageBytes = 0;
	for (let offset = 0; offset + 2 * wordBytes <= vector.length; offset += 2 * wordBytes) {
		const type = word(offset);
		if (type === 0) break;
		if (type === auxPageSize) pageBytes = word(offset + wordBytes);
		if (type === auxClockTicks) ticksPerSecond = word(offset + wordBytes);
	}
	// Anything implausible (a word size guessed wrong) is left to getconf.
	const plausible = ticksPerSecond > 0 && ticksPerSecond <= 10_000 && pageBytes >= 4096 && (pageBytes & (pageBytes - 1)) === 0;
	return plausible ? {ticksPerSecond, pageBytes} : null;
}

function unitsFromGetconf(): {ticksPerSecond: number; pageBytes: number} {
	const result = spawnSync('/bin/sh', ['-c', 'getconf CLK_TCK; getconf PAGESIZE'], {encoding: 'utf8', timeout: 5000});
	const [ticks, page] = (result.stdout ?? '').split('\n').map(line => Number.parseInt(line, 10));
	return {
		ticksPerSecond: ticks && ticks > 0 ? ticks : 100,
		pageBytes: page && page > 0 ? page : 4096,
	};
}

let boot: {btime: number; ms: number; readAt: number} | undefined;

// btime (/proc/stat) is whole seconds, which would put start times up to 1 s early; now minus
// /proc/uptime is exact to a tick but jitters from read to read. So the exact value is taken once
// and kept while btime stands still: btime only moves when the wall clock is stepped, and then
// start times follow the new wall clock, as ps shows them.
function bootTimeMs(): number {
	const now = Date.now();
	if (boot && Math.abs(now - boot.readAt) < 1000) return boot.ms;
	const match = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'latin1'));
	const btime = match ? Number(match[1]) * 1000 : 0;
	if (boot?.btime === btime) {
		boot.readAt = now;
		return boot.ms;
	}
	const uptimeMs = Number.parseFloat(fs.readFileSync('/proc/uptime', 'latin1')) * 1000;
	const exact = Math.round(Date.now() - uptimeMs);
	boot = {btime, ms: Math.abs(exact - btime - 500) <= 600 ? exact : btime, readAt: now};
	return boot.ms;
}

const statBuffer = Buffer.alloc(4096);

function readStatText(pid: number): string | null {
	let fd: number;
	try {
		fd = fs.openSync(`/proc/${pid}/stat`, 'r');
	} catch {
		return null;
	}
	try {
		const length = fs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
		if (length < statBuffer.length) return statBuffer.toString('utf8', 0, length);
		return fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		// The process exited between open and read.
		return null;
	} finally {
		fs.closeSync(fd);
	}
}

/** Parse one /proc/<pid>/stat line; null when it is not one. */
export function parseStat(text: string, bootMs: number, ticksPerSecond: number, pageBytes: number): ProcessInfo | null {
	// comm may hold spaces and ')' itself: it ends at the last ')'.
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open < 0 || close < open) return null;
	const pid = Number.parseInt(text.slice(0, open), 10);
	const state = text.charAt(close + 2);
	const fields = statFields(text, close + 2);
	if (!Number.isInteger(pid) || state === '' || state === ' ' || fields === null) return null;
	const tickMs = 1000 / ticksPerSecond;
	return {
		pid,
		ppid: fields[4]!,
		pgid: fields[5]!,
		sid: fields[6]!,
		state,
		startTimeMs: bootMs + Math.round(fields[22]! * tickMs),
		cpuTimeMs: Math.round((fields[14]! + fields[15]!) * tickMs),
		rssBytes: Math.max(0, fields[24]!) * pageBytes,
		name: text.slice(open + 1, close),
	};
}

// The numeric fields of proc(5) that the table keeps, by their number there.
const wanted = [4, 5, 6, 14, 15, 22, 24];
const lastWanted = 24;
const parsed = new Array<number>(lastWanted + 1).fill(0);

/**
 * Fields 4 to 24 of a stat line, read in place from `from` (field 3, the state) without splitting
 * the line: the scan of every process each tick made some fifty strings apiece. Null when the line
 * ends early or a wanted field is not an integer. The array is reused by the next call.
 */
function statFields(text: string, from: number): number[] | null {
	let field = 3;
	let index = from;
	while (field <= lastWanted) {
		const end = text.indexOf(' ', index);
		const stop = end === -1 ? text.length : end;
		if (stop === index) return null;
		if (wanted.includes(field)) {
			const value = integerAt(text, index, stop);
			if (value === null) return null;
			parsed[field] = value;
		}
		if (end === -1) return field >= lastWanted ? parsed : null;
		index = end + 1;
		field++;
	}
	return parsed;
}

function integerAt(text: string, start: number, stop: number): number | null {
	let sign = 1;
	let index = start;
	if (text.charCodeAt(index) === 45) {
		sign = -1;
		index++;
	}
	if (index === stop) return null;
	let value = 0;
	for (; index < stop; index++) {
		const digit = text.charCodeAt(index) - 48;
		if (digit < 0 || digit > 9) return null;
		value = value * 10 + digit;
	}
	return sign * value;
}

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
		const match = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}

/** Read every process once: one readdir of /proc and one stat file each. Processes that exit mid-scan are skipped. */
export function scanProcesses(): ProcessTable {
	const byPid = new Map<number, ProcessInfo>();
	const children = new Map<number, number[]>();
	const table: ProcessTable = {byPid, children, scannedAt: Date.now(), monotonicMs: performance.now()};
	if (!procfsAvailable) return table;
	const {ticksPerSecond, pageBytes} = kernelUnits();
	const bootMs = bootTimeMs();
	for (const entry of fs.readdirSync('/proc')) {
		const first = entry.charCodeAt(0);
		if (first < 48 || first > 57) continue;
		const text = readStatText(Number(entry));
		if (text === null) continue;
		const info = parseStat(text, bootMs, ticksPerSecond, pageBytes);
		if (!info) continue;
		byPid.set(info.pid, info);
		const siblings = children.get(info.ppid);
		if (siblings) siblings.push(info.pid);
		else children.set(info.ppid, [info.pid]);
	}
	return table;
}

/** Every descendant of `pid` in the table (children first, then theirs), the process itself left out. */
export function descendantsOf(table: ProcessTable, pid: number): ProcessInfo[] {
	const found: ProcessInfo[] = [];
	const seen = new Set<number>([pid]);
	const queue = [pid];
	for (let index = 0; index < queue.length; index++) {
		for (const child of table.children.get(queue[index]!) ?? []) {
			const info = table.byPid.get(child);
			if (!info || seen.has(child)) continue;
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
