import type {LockWait, ProcessWait, WaitTarget} from './diagnosis-readings.js';
import type {ProcTables} from './proc-tables.js';
import {blockedCall, fdTarget, holdsTarget, otherThreads, readName, readSyscall, readWchan, type BlockedCall} from './proc-wait.js';
import {fcntlWaitCommands} from './syscall-names.js';

/** Threads looked at when the main one only waits on a futex (it joins a worker that does the waiting). */
const threadsLooked = 32;

const terminalPath = /^\/dev\/(?:pts\/\d+|tty\w*|console)$/;

/** The job's tree, as far as a process's wait is judged against it: who feeds its standard input. */
export type Tree = {rootPid: number; processes: readonly {pid: number}[]};

/** A call that says what the process waits for: on descriptors, or for a lock. */
function telling(blocked: BlockedCall): boolean {
	return blocked.fds.length > 0 && blocked.call !== 'futex';
}

/** What `fd` of `pid` leads to, in the operator's words. */
function waitTarget(pid: number, fd: number, tree: Tree, tables: ProcTables): WaitTarget {
	const link = fdTarget(pid, fd);
	if (link === null) return {fd, kind: 'other', name: `descriptor ${fd}`};
	if (terminalPath.test(link)) return {fd, kind: 'terminal', name: link};
	if (/^pipe:\[\d+\]$/.test(link)) {
		// Only a pipe on standard input can be a prompt; its writer in the same job means the job feeds itself.
		const fedByTree = fd === 0 && tree.processes.some(other => other.pid !== pid && holdsTarget(other.pid, link, true));
		return {fd, kind: 'pipe', name: link, fedByTree};
	}
	const socket = /^socket:\[(\d+)\]$/.exec(link);
	if (socket) {
		const inode = Number(socket[1]);
		const tcp = tables.tcp(inode);
		if (tcp) return {fd, kind: 'socket', name: tcp.listening ? tcp.local : tcp.remote, listening: tcp.listening};
		const unix = tables.unix(inode);
		// A socket pair on standard input is a pipe as Node makes one (stdio 'pipe'). Its other end has
		// an inode of its own, so who writes cannot be seen: one the job's root does not share was made
		// inside the job, which then feeds itself.
		if (unix === null && fd === 0) return {fd, kind: 'pipe', name: link, fedByTree: pid !== tree.rootPid && !holdsTarget(tree.rootPid, link, false)};
		if (unix !== undefined) return {fd, kind: 'socket', name: unix === null ? 'an unnamed unix socket' : `unix socket ${unix}`};
		return {fd, kind: 'socket', name: `socket ${inode} (not TCP in the sentinel's network namespace)`};
	}
	if (link.startsWith('/')) return {fd, kind: 'file', name: link};
	return {fd, kind: 'other', name: link};
}

/** The lock `pid` waits for in /proc/locks (a `->` line naming it), with its holder. */
function lockFromTable(pid: number, tables: ProcTables, path: string | null, how: string | null): LockWait | null {
	const locks = tables.locks;
	const waiting = locks.find(line => line.waiting && line.pid === pid);
	if (!waiting && path === null) return null;
	const file = waiting?.file;
	const held = file === undefined ? undefined : locks.find(line => !line.waiting && line.file === file);
	const holder = held && held.pid > 0 ? {pid: held.pid, name: readName(held.pid)} : null;
	return {file: path ?? `inode ${file}`, how: how ?? waiting?.type.toLowerCase() ?? 'lock', holder};
}

// Kernel functions a task sleeps in while it waits for a file lock (flock and fcntl, over the kernel versions).
const lockWchan = /lock_inode_wait|flock_lock|posix_lock|fcntl_setlk|locks_/;

/**
 * What process `pid` (in the job's `tree`) is blocked on. Where its syscall file cannot be
 * read, only its wchan (empty for another user's process) and /proc/locks, which names waiters
 * by pid to anyone, are left. Null when the process is gone.
 */
export function readWait(pid: number, state: string, tree: Tree, tables: ProcTables): ProcessWait | null {
	const wchan = readWchan(`/proc/${pid}/wchan`);
	const line = readSyscall(`/proc/${pid}/syscall`);
	if (line.state === 'gone') return null;
	if (line.state === 'unreadable') {
		// A sleeping process may be queued for a lock: /proc/locks says so whoever owns it.
		const lock = state === 'S' && (wchan === '' || lockWchan.test(wchan)) ? lockFromTable(pid, tables, null, null) : null;
		return {wchan, syscallReadable: false, running: state === 'R', call: null, targets: [], lock};
	}
	if (line.state !== 'blocked') return {wchan, syscallReadable: true, running: line.state === 'running', call: null, targets: [], lock: null};
	let blocked = blockedCall(pid, line);
	if (!telling(blocked) && (blocked.call === 'futex' || blocked.call === null)) {
		for (const tid of otherThreads(pid, threadsLooked)) {
			const thread = readSyscall(`/proc/${pid}/task/${tid}/syscall`);
			if (thread.state !== 'blocked') continue;
			const candidate = blockedCall(pid, thread);
			if (telling(candidate)) {
				blocked = candidate;
				break;
			}
		}
	}
	const {call} = blocked;
	const waitsForLock = call === 'flock' || (call === 'fcntl' && fcntlWaitCommands.has(blocked.fcntlCommand ?? -1));
	if (waitsForLock) {
		const fd = blocked.fds[0]!;
		return {wchan, syscallReadable: true, running: false, call, targets: [], lock: lockFromTable(pid, tables, fdTarget(pid, fd) ?? `descriptor ${fd}`, call)};
	}
	const targets = call === 'fcntl' ? [] : blocked.fds.map(fd => waitTarget(pid, fd, tree, tables));
	return {wchan, syscallReadable: true, running: false, call, targets, lock: null};
}
