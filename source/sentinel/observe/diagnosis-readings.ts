import type {CallName} from './syscall-names.js';

// What the diagnosis reader hands the pure classifier (judge/diagnose.ts): facts read from /proc,
// already resolved to the operator's words (a path, a peer address), never judged here.

/** A file descriptor a blocked process waits on, and where it leads. */
export type WaitTarget = {
	fd: number;
	/** `terminal`: a tty; `file`: a path; `other`: eventfd, timerfd, epoll and the like. */
	kind: 'terminal' | 'pipe' | 'socket' | 'file' | 'other';
	/** `/dev/pts/3`, `pipe:[123]`, `127.0.0.1:8080`, `unix socket /run/x.sock`, a path. */
	name: string;
	/** A pipe that another process of the job's tree holds too: fed by the job itself, not a prompt. */
	fedByTree?: boolean;
	/** A socket that listens for connections: `name` is its own address, not a peer's. */
	listening?: boolean;
};

/** A file lock a process waits for. */
export type LockWait = {
	/** The locked file's path, or `inode maj:min:ino` when only /proc/locks names it. */
	file: string;
	/** flock, fcntl, or the lock's type in /proc/locks. */
	how: string;
	/** The process that holds it, when /proc/locks says. */
	holder: {pid: number; name: string | null} | null;
};

/** What one process is blocked on, read from /proc when its job was silent. */
export type ProcessWait = {
	/** The kernel function it sleeps in; '' when unknown (running, or not ours to read). */
	wchan: string;
	/** False when `/proc/<pid>/syscall` could not be read (another user's process, without privilege). */
	syscallReadable: boolean;
	/** On a CPU when read (`running`). */
	running: boolean;
	/** The system call it is blocked in (another thread's, when the main one only waits on a futex), null when none or unknown. */
	call: CallName | null;
	/** What that call reads, writes or polls. */
	targets: readonly WaitTarget[];
	/** A file lock it waits for. */
	lock: LockWait | null;
};

/** Everything read about one process of a job's tree. */
export type ProcessReading = {
	/** Its command line, sanitised and cut; null when it could not be read. */
	readonly command: string | null;
	/** Samples in a row it was seen in uninterruptible sleep (state D). */
	readonly diskWaitSamples: number;
	/** What it waits on; null when not read (its job was active). */
	readonly wait: ProcessWait | null;
};

/** The readings of a job's tree, by pid; processes not read are absent. */
export type TreeReadings = ReadonlyMap<number, ProcessReading>;
