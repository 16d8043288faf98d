import type {ProcessWait, WaitTarget} from '../observe/diagnosis-readings.js';
import type {CallName} from '../observe/syscall-names.js';

// How a diagnosis says what a process does: one line in the operator's words.

const readCalls: ReadonlySet<CallName> = new Set(['read', 'readv', 'pread64', 'preadv', 'recvfrom', 'recvmsg', 'recvmmsg']);
const writeCalls: ReadonlySet<CallName> = new Set(['write', 'writev', 'sendto', 'sendmsg']);
const pollCalls: ReadonlySet<CallName> = new Set(['poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2']);

/** Blocked reading or polling: waiting for something to arrive (not to leave). */
export function waitsToReceive(call: CallName | null): boolean {
	return call !== null && (readCalls.has(call) || pollCalls.has(call));
}

/** Blocked writing: what it writes is not taken. */
export function waitsToSend(call: CallName | null): boolean {
	return call !== null && writeCalls.has(call);
}

function verb(call: CallName | null): string {
	if (call !== null && pollCalls.has(call)) return 'polls';
	if (call !== null && writeCalls.has(call)) return 'writes to';
	return 'reads';
}

/** `reads its standard input, a pipe nobody in the job writes`, `polls the terminal /dev/pts/3`. */
export function inputWords(wait: ProcessWait, target: WaitTarget): string {
	const what = target.kind === 'terminal' ? `the terminal ${target.name}` : 'a pipe nobody in the job writes';
	return target.fd === 0 ? `${verb(wait.call)} its standard input, ${what}` : `${verb(wait.call)} ${what}`;
}

/** `reads a socket connected to 127.0.0.1:8080`, `waits for connections on 0.0.0.0:80`, and how many more it polls. */
export function networkWords(wait: ProcessWait, sockets: readonly WaitTarget[]): string {
	const [first] = sockets;
	if (!first) return 'waits on a socket';
	const more = sockets.length > 1 ? ` (and ${sockets.length - 1} more socket${sockets.length > 2 ? 's' : ''})` : '';
	const peer = first.name;
	if (wait.call === 'connect') return `connecting to ${peer}${more}`;
	if (first.listening || wait.call === 'accept' || wait.call === 'accept4') return `waits for connections on ${peer}${more}`;
	if (/^\[?[\d.:a-f]+\]?:\d+$/i.test(peer)) return `${verb(wait.call)} a socket connected to ${peer}${more}`;
	return `${verb(wait.call)} ${peer}${more}`;
}

const sleepWords: Partial<Record<CallName, string>> = {
	nanosleep: 'sleeps on a timer',
	clock_nanosleep: 'sleeps on a timer',
	futex: 'waits on a futex (a lock or condition inside the program)',
	wait4: 'waits for its child',
	waitid: 'waits for its child',
	pause: 'waits for a signal',
	rt_sigsuspend: 'waits for a signal',
	rt_sigtimedwait: 'waits for a signal',
};

/** What a sleeping process sleeps on: a timer, a futex, a pipe its own job feeds, nothing it polls tells. */
export function sleepingWords(wait: ProcessWait | null | undefined): string {
	if (!wait) return 'sleeps';
	const {call, targets} = wait;
	const words = call === null ? undefined : sleepWords[call];
	if (words) return words;
	const [first] = targets;
	if (first && waitsToSend(call)) return `${verb(call)} ${first.kind === 'pipe' ? 'a pipe nobody reads' : first.name}`;
	if (first && readCalls.has(call!)) return first.kind === 'pipe' ? `reads a pipe fed by its own job${first.fedByTree ? '' : ` (${first.name})`}` : `reads ${first.name}`;
	if (call !== null && pollCalls.has(call)) return `polls ${targets.length} descriptor${targets.length === 1 ? '' : 's'}, none a prompt or socket`;
	if (call !== null) return `blocked in ${call}`;
	return wait.wchan === '' ? 'sleeps' : `sleeps in ${wait.wchan}`;
}

/** What a detail adds when the process's syscall file could not be read. */
export function unreadableWords(wait: ProcessWait): string {
	const from = wait.wchan === '' ? 'its state alone' : `its state and wchan (${wait.wchan})`;
	return `its syscall file cannot be read (another user's process, without privilege): judged from ${from}`;
}
