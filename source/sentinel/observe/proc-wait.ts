import fs from 'node:fs';
import os from 'node:os';
import {sanitize} from '../../text/sanitize.js';
import {readProcFile} from './proc-file.js';
import {callTable, type CallName} from './syscall-names.js';

/** What `/proc/<pid>/syscall` says: blocked in a call (its number and six arguments), running, or not readable. */
export type SyscallLine = {state: 'blocked'; number: number; args: bigint[]} | {state: 'running' | 'outside' | 'unreadable' | 'gone'};

/** Parse `/proc/<pid>/syscall` (proc_pid_syscall(5)): `nr arg1..arg6 sp pc`, `-1 sp pc`, or `running`. */
export function parseSyscall(text: string): SyscallLine {
	const trimmed = text.trim();
	if (trimmed === 'running') return {state: 'running'};
	const fields = trimmed.split(/\s+/);
	const number = Number(fields[0]);
	if (!Number.isInteger(number) || number < 0 || fields.length < 7) return {state: 'outside'};
	try {
		return {state: 'blocked', number, args: fields.slice(1, 7).map(field => BigInt(field))};
	} catch {
		return {state: 'outside'};
	}
}

function readSmall(file: string): string | null {
	try {
		return readProcFile(file);
	} catch {
		return null;
	}
}

/**
 * `/proc/<pid>/syscall` (or a thread's, `/proc/<pid>/task/<tid>/syscall`). Reading it takes
 * ptrace's attach permission: another user's process (without privilege, or under Yama) is
 * `unreadable`; a process gone since the scan is `gone`.
 */
export function readSyscall(path: string): SyscallLine {
	try {
		return parseSyscall(readProcFile(path));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'EACCES' || code === 'EPERM' ? {state: 'unreadable'} : {state: 'gone'};
	}
}

/** The kernel function the process sleeps in; '' when unknown (`0`: running, or another user's process). */
export function readWchan(path: string): string {
	const text = readSmall(path)?.trim() ?? '';
	return text === '0' ? '' : text;
}

/** Where a file descriptor leads: `/dev/pts/3`, `pipe:[123]`, `socket:[456]`, a path; null when unreadable. */
export function fdTarget(pid: number, fd: number): string | null {
	try {
		return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
	} catch {
		return null;
	}
}

/** The file descriptors an epoll instance watches: the `tfd:` lines of its fdinfo. */
export function epollTargets(pid: number, epfd: number): number[] {
	const text = readSmall(`/proc/${pid}/fdinfo/${epfd}`) ?? '';
	return [...text.matchAll(/^tfd:\s*(\d+)/gm)].map(match => Number(match[1]));
}

/** Most descriptors of a poll or select set worth looking at. */
const maxPolled = 64;

/**
 * Read `length` bytes at `address` of a process's memory: what poll and select were handed lives
 * there, not in the registers. The same permission as its syscall file; null when refused.
 */
function readMemory(pid: number, address: bigint, length: number): Buffer | null {
	if (address <= 0n || address > BigInt(Number.MAX_SAFE_INTEGER) || length <= 0) return null;
	let fd: number;
	try {
		fd = fs.openSync(`/proc/${pid}/mem`, 'r');
	} catch {
		return null;
	}
	try {
		const buffer = Buffer.alloc(length);
		const read = fs.readSync(fd, buffer, 0, length, Number(address));
		return read === length ? buffer : null;
	} catch {
		return null;
	} finally {
		fs.closeSync(fd);
	}
}

const littleEndian = os.endianness() === 'LE';

/** The descriptors of poll's `struct pollfd` array (`int fd; short events; short revents;`). */
export function pollTargets(pid: number, address: bigint, count: bigint): number[] {
	const entries = Math.min(Number(count), maxPolled);
	const memory = readMemory(pid, address, entries * 8);
	if (!memory) return [];
	const fds: number[] = [];
	for (let index = 0; index < entries; index++) {
		const fd = littleEndian ? memory.readInt32LE(index * 8) : memory.readInt32BE(index * 8);
		if (fd >= 0) fds.push(fd);
	}
	return fds;
}

/** The descriptors set in select's bitmaps (read and write sets) of `count` bits. */
export function selectTargets(pid: number, count: bigint, sets: readonly bigint[]): number[] {
	// The bits of an fd_set are longs: read byte by byte, only a little-endian machine keeps fd 8k+i at bit i of byte k.
	if (!littleEndian) return [];
	const bits = Math.min(Number(count), 1024);
	const fds = new Set<number>();
	for (const address of sets) {
		const memory = readMemory(pid, address, Math.ceil(bits / 8));
		if (!memory) continue;
		for (let fd = 0; fd < bits && fds.size < maxPolled; fd++) if (memory[fd >> 3]! & (1 << (fd & 7))) fds.add(fd);
	}
	return [...fds];
}

/** The descriptors a blocked call waits on, and the call's name; null fds: none (a timer, a child). */
export type BlockedCall = {call: CallName | null; fds: number[]; fcntlCommand?: number};

/** Which descriptors the call in `line` waits on, read from its arguments (and the memory they point to). */
export function blockedCall(pid: number, line: Extract<SyscallLine, {state: 'blocked'}>, table = callTable()): BlockedCall {
	const call = table?.[line.number] ?? null;
	const [first = 0n, second = 0n, third = 0n] = line.args;
	const fd = Number(first);
	switch (call) {
		case 'read':
		case 'readv':
		case 'pread64':
		case 'preadv':
		case 'recvfrom':
		case 'recvmsg':
		case 'recvmmsg':
		case 'write':
		case 'writev':
		case 'sendto':
		case 'sendmsg':
		case 'connect':
		case 'accept':
		case 'accept4':
		case 'flock': {
			return {call, fds: [fd]};
		}

		case 'fcntl': {
			return {call, fds: [fd], fcntlCommand: Number(second)};
		}

		case 'poll':
		case 'ppoll': {
			return {call, fds: pollTargets(pid, first, second)};
		}

		case 'select':
		case 'pselect6': {
			return {call, fds: selectTargets(pid, first, [second, third])};
		}

		case 'epoll_wait':
		case 'epoll_pwait':
		case 'epoll_pwait2': {
			return {call, fds: epollTargets(pid, fd).slice(0, maxPolled)};
		}

		default: {
			return {call, fds: []};
		}
	}
}

/** Most of a command line kept: enough to tell jobs apart, not a whole argv of file names. */
const commandLength = 200;

/** The process's command line, its arguments joined by spaces, sanitised and cut; null when unreadable or empty. */
export function readCommand(pid: number): string | null {
	const args = readArguments(pid, commandLength * 4);
	if (args === null) return null;
	const text = sanitize(args.join(' ')).trim();
	return text === '' ? null : [...text].slice(0, commandLength).join('');
}

/** The process's arguments as given (unsanitised: what a caller shows, it sanitises), from its first `maxBytes` of command line; null when unreadable. */
export function readArguments(pid: number, maxBytes: number): string[] | null {
	let fd: number;
	try {
		fd = fs.openSync(`/proc/${pid}/cmdline`, 'r');
	} catch {
		return null;
	}
	try {
		const buffer = Buffer.alloc(maxBytes);
		const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
		const args = buffer.toString('utf8', 0, length).split('\0');
		// The command line ends in a NUL: no empty argument after it.
		if (args.at(-1) === '') args.pop();
		return args;
	} catch {
		return null;
	} finally {
		fs.closeSync(fd);
	}
}

/** The threads of a process other than its main one, at most `limit`. */
export function otherThreads(pid: number, limit: number): number[] {
	try {
		return fs
			.readdirSync(`/proc/${pid}/task`)
			.map(Number)
			.filter(tid => Number.isInteger(tid) && tid !== pid)
			.slice(0, limit);
	} catch {
		return [];
	}
}

/** True when the descriptor is open for writing (its fdinfo's flags hold O_WRONLY or O_RDWR). */
function writable(pid: number, fd: number): boolean {
	const flags = /^flags:\s*([0-7]+)/m.exec(readSmall(`/proc/${pid}/fdinfo/${fd}`) ?? '');
	return flags !== null && (Number.parseInt(flags[1]!, 8) & 3) !== 0;
}

/**
 * True when process `pid` has `target` (a pipe's `pipe:[N]`, a socket's `socket:[N]`) open, among
 * its first `limit` descriptors; with `forWriting`, only open for writing (a pipe's writer).
 */
export function holdsTarget(pid: number, target: string, forWriting: boolean, limit = 256): boolean {
	let fds: string[];
	try {
		fds = fs.readdirSync(`/proc/${pid}/fd`).slice(0, limit);
	} catch {
		return false;
	}
	return fds.some(fd => fdTarget(pid, Number(fd)) === target && (!forWriting || writable(pid, Number(fd))));
}

/** A process's short name (comm), sanitised; null when gone. */
export function readName(pid: number): string | null {
	const text = readSmall(`/proc/${pid}/comm`);
	return text === null ? null : sanitize(text.trim());
}
