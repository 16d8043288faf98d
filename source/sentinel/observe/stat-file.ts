import fs from 'node:fs';
import type {ProcessInfo} from '../../types.js';

// One process's /proc/<pid>/stat: read into one shared buffer, compared there with the line read
// last, and parsed (process-table.ts reads every process's through these each scan).

/** Where every stat file is read: one buffer, so a scan of every process allocates none. */
const statBuffer = Buffer.alloc(4096);

/**
 * Errors that say the sentinel cannot look, not that the process is gone: thrown, so no caller
 * takes a live process for gone (a tree stopped "with no survivors" while it runs).
 */
const cannotLook = new Set(['EMFILE', 'ENFILE', 'ENOMEM']);

/** Read a stat file into `statBuffer`: its length, or -1 when the process is gone. */
export function readStatInto(file: string): number {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		if (cannotLook.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
		return -1;
	}
	try {
		return fs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
	} catch {
		// The process exited between open and read.
		return -1;
	} finally {
		fs.closeSync(fd);
	}
}

/** Read again, at its start, the stat file held open as `fd` into `statBuffer`: its length. Throws when its process is gone (ESRCH). */
export function readStatFrom(fd: number): number {
	return fs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
}

/** The line just read into `statBuffer`, read again whole when it filled the buffer; null when gone. */
export function statLine(file: string, length: number): string | null {
	if (length < statBuffer.length) return statBuffer.toString('utf8', 0, length);
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

export function readStatText(pid: number): string | null {
	const file = `/proc/${pid}/stat`;
	const length = readStatInto(file);
	return length < 0 ? null : statLine(file, length);
}

/** True when `statBuffer` holds `line` byte for byte; a line with other than ASCII is never taken as the same. */
export function bufferHolds(line: string, length: number): boolean {
	if (line.length !== length) return false;
	for (let index = 0; index < length; index++) {
		const code = line.charCodeAt(index);
		if (code > 127 || statBuffer[index] !== code) return false;
	}
	return true;
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
