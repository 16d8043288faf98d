/**
 * The system calls a blocked process is diagnosed by, by their number in `/proc/<pid>/syscall`.
 * Numbers differ between architectures: x86_64's from arch/x86/entry/syscalls/syscall_64.tbl,
 * aarch64's (and every architecture on the generic table) from include/uapi/asm-generic/unistd.h.
 */
export type CallName =
	| 'read'
	| 'readv'
	| 'pread64'
	| 'preadv'
	| 'recvfrom'
	| 'recvmsg'
	| 'recvmmsg'
	| 'write'
	| 'writev'
	| 'sendto'
	| 'sendmsg'
	| 'connect'
	| 'accept'
	| 'accept4'
	| 'poll'
	| 'ppoll'
	| 'select'
	| 'pselect6'
	| 'epoll_wait'
	| 'epoll_pwait'
	| 'epoll_pwait2'
	| 'flock'
	| 'fcntl'
	| 'wait4'
	| 'waitid'
	| 'nanosleep'
	| 'clock_nanosleep'
	| 'futex'
	| 'pause'
	| 'rt_sigsuspend'
	| 'rt_sigtimedwait';

const x64: Record<number, CallName> = {
	0: 'read',
	1: 'write',
	7: 'poll',
	17: 'pread64',
	19: 'readv',
	20: 'writev',
	23: 'select',
	34: 'pause',
	35: 'nanosleep',
	42: 'connect',
	43: 'accept',
	44: 'sendto',
	45: 'recvfrom',
	46: 'sendmsg',
	47: 'recvmsg',
	61: 'wait4',
	72: 'fcntl',
	73: 'flock',
	128: 'rt_sigtimedwait',
	130: 'rt_sigsuspend',
	202: 'futex',
	230: 'clock_nanosleep',
	232: 'epoll_wait',
	247: 'waitid',
	270: 'pselect6',
	271: 'ppoll',
	281: 'epoll_pwait',
	288: 'accept4',
	295: 'preadv',
	299: 'recvmmsg',
	441: 'epoll_pwait2',
};

// The generic table has no poll, select or epoll_wait: only their p-variants.
const generic: Record<number, CallName> = {
	22: 'epoll_pwait',
	25: 'fcntl',
	32: 'flock',
	63: 'read',
	64: 'write',
	65: 'readv',
	66: 'writev',
	67: 'pread64',
	69: 'preadv',
	72: 'pselect6',
	73: 'ppoll',
	95: 'waitid',
	98: 'futex',
	101: 'nanosleep',
	115: 'clock_nanosleep',
	133: 'rt_sigsuspend',
	137: 'rt_sigtimedwait',
	202: 'accept',
	203: 'connect',
	206: 'sendto',
	207: 'recvfrom',
	211: 'sendmsg',
	212: 'recvmsg',
	242: 'accept4',
	243: 'recvmmsg',
	260: 'wait4',
	441: 'epoll_pwait2',
};

/** This machine's table; null where the numbers are not known (the diagnosis then reads wchan alone). */
export function callTable(arch: string = process.arch): Record<number, CallName> | null {
	if (arch === 'x64') return x64;
	if (arch === 'arm64' || arch === 'riscv64' || arch === 'loong64') return generic;
	return null;
}

/** fcntl's commands that wait for a lock: F_SETLKW and F_OFD_SETLKW. */
export const fcntlWaitCommands: ReadonlySet<number> = new Set([7, 38]);
