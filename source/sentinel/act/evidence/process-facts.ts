import fs from 'node:fs';
import type {ProcessInfo} from '../../../types.js';
import type {LockWait, WaitTarget} from '../../observe/diagnosis-readings.js';
import {readProcFile} from '../../observe/proc-file.js';
import type {ProcTables} from '../../observe/proc-tables.js';
import {fdTarget, readArguments} from '../../observe/proc-wait.js';
import {readWait} from '../../observe/read-wait.js';
import {sanitize} from '../../../text/sanitize.js';
import {redactArguments, redactText} from './redact.js';

/** Most of a command line read, and kept. */
const argumentBytes = 16 * 1024;
const commandChars = 4096;
/** Most descriptors listed per process: a server's thousand sockets say no more than its first. */
export const fdLimit = 128;
/** Most of a kernel stack kept. */
const stackChars = 4096;

/** One open descriptor and where it leads; a socket with its addresses where the sentinel's namespace shows them. */
export type FdFact = {fd: number; target: string; local?: string; peer?: string; listening?: boolean};

/** One process of the tree, as kept in an evidence file (SPEC section 15). */
export type ProcessFacts = {
	pid: number;
	ppid: number;
	state: string;
	name: string;
	/** The kernel function it sleeps in; '' when unknown. */
	wchan: string;
	/** The system call it is blocked in, `running`, `unreadable` (another user's), or null (none known). */
	syscall: string | null;
	/** What that call waits on, in the diagnosis's words. */
	waits_on: readonly WaitTarget[];
	lock: LockWait | null;
	/** Its command line, secrets hidden, sanitised; null when unreadable. */
	command: string | null;
	cwd: string | null;
	cpu_time_ms: number;
	/** CPU percent of one core at the last sample, when there was one. */
	cpu_percent: number | null;
	rss_bytes: number;
	start_time: string;
	fds: FdFact[];
	/** Descriptors past `fdLimit`, not listed. */
	fds_left_out?: number;
	/** `/proc/<pid>/stack`, where readable (root). */
	stack: string | null;
};

function readLink(file: string): string | null {
	try {
		return fs.readlinkSync(file);
	} catch {
		return null;
	}
}

function readStack(pid: number): string | null {
	try {
		return sanitizeLines(readProcFile(`/proc/${pid}/stack`).slice(0, stackChars));
	} catch {
		return null;
	}
}

/** Each line sanitised, the line breaks kept. */
function sanitizeLines(text: string): string {
	return text
		.split('\n')
		.map(line => sanitize(line))
		.join('\n')
		.trimEnd();
}

/** Where one descriptor leads, a socket resolved through the machine's tables. */
function fdFact(pid: number, fd: number, tables: ProcTables): FdFact | null {
	const target = fdTarget(pid, fd);
	if (target === null) return null;
	const fact: FdFact = {fd, target: sanitize(target)};
	const socket = /^socket:\[(\d+)\]$/.exec(target);
	if (!socket) return fact;
	const inode = Number(socket[1]);
	const tcp = tables.tcp(inode);
	if (tcp) return {...fact, local: tcp.local, ...(tcp.listening ? {listening: true} : {peer: tcp.remote})};
	const unix = tables.unix(inode);
	if (unix !== undefined) return {...fact, local: unix === null ? 'unix socket' : `unix socket ${sanitize(unix)}`};
	return fact;
}

function fdFacts(pid: number, tables: ProcTables): {fds: FdFact[]; left: number} {
	let names: string[];
	try {
		names = fs.readdirSync(`/proc/${pid}/fd`);
	} catch {
		return {fds: [], left: 0};
	}
	const numbers = names.map(Number).sort((a, b) => a - b);
	const fds: FdFact[] = [];
	for (const fd of numbers.slice(0, fdLimit)) {
		const fact = fdFact(pid, fd, tables);
		if (fact) fds.push(fact);
	}
	return {fds, left: Math.max(0, numbers.length - fdLimit)};
}

function commandOf(pid: number): string | null {
	const args = readArguments(pid, argumentBytes);
	if (args === null || args.length === 0) return null;
	return [...sanitize(redactArguments(args).join(' '))].slice(0, commandChars).join('');
}

function syscallOf(wait: ReturnType<typeof readWait>): string | null {
	if (!wait) return null;
	if (!wait.syscallReadable) return 'unreadable';
	if (wait.running) return 'running';
	return wait.call;
}

/**
 * What one process of the tree is and does, read passively from /proc through the diagnosis's
 * readers: never its environment. `cpuPercent` comes from the last sample.
 */
export function processFacts(info: ProcessInfo, tables: ProcTables, cpuPercent: number | null): ProcessFacts {
	const {pid} = info;
	// The tree is left empty: whether a pipe is fed by the job was judged by the diagnosis already,
	// and asking it of every process here would read every other process's descriptors.
	const wait = readWait(pid, info.state, {rootPid: pid, processes: []}, tables);
	const {fds, left} = fdFacts(pid, tables);
	const cwd = readLink(`/proc/${pid}/cwd`);
	return {
		pid,
		ppid: info.ppid,
		state: info.state,
		name: sanitize(info.name),
		wchan: sanitize(wait?.wchan ?? ''),
		syscall: syscallOf(wait),
		// Without `fedByTree`: it was not asked here (see above), and false would say it was.
		waits_on: (wait?.targets ?? []).map(({fedByTree: _, ...target}) => ({...target, name: redactText(sanitize(target.name))})),
		lock: wait?.lock ? {...wait.lock, file: sanitize(wait.lock.file)} : null,
		command: commandOf(pid),
		cwd: cwd === null ? null : sanitize(cwd),
		cpu_time_ms: info.cpuTimeMs,
		cpu_percent: cpuPercent,
		rss_bytes: info.rssBytes,
		start_time: new Date(info.startTimeMs).toISOString(),
		fds,
		...(left > 0 ? {fds_left_out: left} : {}),
		stack: readStack(pid),
	};
}
