import {sanitize} from '../../text/sanitize.js';
import {diagnosisKinds, type Diagnosis, type DiagnosisKind, type ProcessSample, type Signal, type TreeSample} from '../../types.js';
import type {ProcessReading, ProcessWait, TreeReadings, WaitTarget} from '../observe/diagnosis-readings.js';
import {inputWords, networkWords, sleepingWords, unreadableWords, waitsToReceive, waitsToSend} from './diagnosis-words.js';

/** Everything the diagnosis of one job needs: pure inputs, nothing read here. */
export type DiagnosisInput = {
	/** The job's process, as its manifest names it; null when it names none. */
	pid: number | null;
	/** This tick's tree sample; null for a job naming no process (or not sampled yet). */
	sample: TreeSample | null;
	silenceMs: number;
	/** A job silent for less than this is active: `ok`, its processes left unread. */
	activeWithinMs: number;
	/** The busy signal of this assessment, when the CPU history is at the limit. */
	busy: Signal | null;
	cpuLimitPercent: number;
	/** What the job's output says of its progress (SPEC section 11); absent with --no-loop-detection. */
	progress?: {repeatsSinceNew: number; sample: string | null};
	/** What each process waits on, read from /proc (observe/diagnosis-reader.ts). */
	readings?: TreeReadings | null;
};

/**
 * A job silent for less than two intervals is active: its diagnosis is `ok`. One interval would
 * flap a job that writes once an interval between ok and what it waits on in between; the reader
 * starts reading its processes after one (observe/diagnosis-reader.ts), so they are read by then.
 */
export function activeWithinMs(config: {intervalMs: number}): number {
	return 2 * config.intervalMs;
}

/** Samples in a row in state D before a process counts as stuck on its disk. */
export const diskWaitSamples = 3;
/** Tree CPU (percent of a core) above which a silent job below the busy-hang limit still counts as busy, not asleep. */
const workingPercent = 10;

// Kernel functions that tell what a process waits for when its syscall file cannot be read.
const inputWchan = /pipe_read|pipe_wait|n_tty_read|tty_read/;
const networkWchan = /sk_wait|inet_csk_accept|inet_wait_for_connect|tcp_recvmsg|unix_stream_read|skb_wait_for_more|sock_recv/;
const childWchan = /do_wait|kernel_wait/;

/** What one process alone says about its job, with the detail of that finding. */
type Finding = {kind: DiagnosisKind | 'child'; detail: string};

function findingOf(process: ProcessSample, reading: ProcessReading | undefined): Finding | null {
	if (process.state === 'T' || process.state === 't') return {kind: 'stopped', detail: process.state === 'T' ? 'stopped by a signal (state T)' : 'stopped by a tracer (state t)'};
	const wait = reading?.wait ?? null;
	if (wait) {
		const found = waitFinding(wait);
		if (found) return wait.syscallReadable || found.kind === 'child' ? found : {...found, detail: `${found.detail}; ${unreadableWords(wait)}`};
	}
	if (process.state === 'D' && (reading?.diskWaitSamples ?? 0) >= diskWaitSamples) {
		const where = wait && wait.wchan !== '' ? `, in ${wait.wchan}` : '';
		return {kind: 'disk-wait', detail: `in uninterruptible sleep (state D) for ${reading!.diskWaitSamples} samples in a row${where}`};
	}
	return null;
}

function waitFinding(wait: ProcessWait): Finding | null {
	if (wait.lock) {
		const {file, how, holder} = wait.lock;
		const by = holder ? `held by pid ${holder.pid}${holder.name ? ` (${holder.name})` : ''}` : 'held by another process';
		return {kind: 'waiting-on-lock', detail: `${how} on ${file}, ${by}`};
	}
	if (!wait.syscallReadable) {
		if (inputWchan.test(wait.wchan)) return {kind: 'waiting-for-input', detail: 'blocked reading a pipe or terminal'};
		if (networkWchan.test(wait.wchan)) return {kind: 'waiting-on-network', detail: 'blocked on a socket'};
		if (childWchan.test(wait.wchan)) return {kind: 'child', detail: 'waits for its child'};
		return null;
	}
	if (wait.call === 'wait4' || wait.call === 'waitid') return {kind: 'child', detail: 'waits for its child'};
	const input = waitsToReceive(wait.call) ? wait.targets.find(isPrompt) : undefined;
	if (input) return {kind: 'waiting-for-input', detail: inputWords(wait, input)};
	const sockets = wait.targets.filter(target => target.kind === 'socket');
	if (sockets.length > 0) return {kind: 'waiting-on-network', detail: networkWords(wait, sockets)};
	return null;
}

/** A terminal, or a pipe on standard input that nothing in the job writes: nobody will answer. */
function isPrompt(target: WaitTarget): boolean {
	return target.kind === 'terminal' || (target.fd === 0 && target.kind === 'pipe' && !target.fedByTree);
}

/** How deep each process sits under the root: the sample lists parents before their children. */
function depths(sample: TreeSample): Map<number, number> {
	const depth = new Map<number, number>();
	for (const process of sample.processes) depth.set(process.pid, process.pid === sample.rootPid ? 0 : (depth.get(process.ppid) ?? 0) + 1);
	return depth;
}

/** Of `candidates`, the one deepest in the tree (the first of equals). */
function deepest<T extends {process: ProcessSample}>(candidates: readonly T[], depth: ReadonlyMap<number, number>): T | undefined {
	let best: T | undefined;
	for (const candidate of candidates) if (!best || (depth.get(candidate.process.pid) ?? 0) > (depth.get(best.process.pid) ?? 0)) best = candidate;
	return best;
}

/** What a diagnosis was made from, besides the tree itself. */
type Memo = {readings: TreeReadings | null; active: boolean; busy: boolean; cpuPercent: number; cpuLimitPercent: number; repeats: number; line: string | null; diagnosis: Diagnosis};

/**
 * The last diagnosis of each tree, by its array of processes: the sampler keeps that array while
 * none of its processes moved, and the reader its readings, so a job asleep for hours is judged
 * once, not every tick.
 */
const memos = new WeakMap<readonly ProcessSample[], Memo>();

/**
 * Why a job in a monitored status is where it is (SPEC section 12): the first kind that holds, of
 * gone, stopped, looping-output, waiting-for-input, waiting-on-lock, waiting-on-network,
 * disk-wait, busy and sleeping; `ok` for an active job. Each names the deepest process that
 * explains it: a shell waiting for its child is explained by the child. Pure: the same inputs give
 * the same diagnosis, remembered rather than made again.
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
	const processes = input.sample?.processes;
	if (!processes || processes.length === 0) return judged(input);
	const readings = input.readings ?? null;
	const active = input.silenceMs < input.activeWithinMs;
	const busy = input.busy !== null;
	const {cpuPercent} = input.sample!;
	const repeats = input.progress?.repeatsSinceNew ?? 0;
	const line = input.progress?.sample ?? null;
	const memo = memos.get(processes);
	// Field by field: the path taken by every job on every tick allocates nothing.
	if (memo?.readings === readings && memo.active === active && memo.busy === busy && memo.cpuPercent === cpuPercent && memo.cpuLimitPercent === input.cpuLimitPercent && memo.repeats === repeats && memo.line === line) return memo.diagnosis;
	const diagnosis = judged(input);
	memos.set(processes, {readings, active, busy, cpuPercent, cpuLimitPercent: input.cpuLimitPercent, repeats, line, diagnosis});
	return diagnosis;
}

function judged(input: DiagnosisInput): Diagnosis {
	const {sample, readings} = input;
	const commandOf = (process: ProcessSample): string => readings?.get(process.pid)?.command ?? sanitize(process.name);
	const rootProcess = sample?.processes.find(process => process.pid === sample.rootPid);
	const root = {pid: sample?.rootPid ?? null, command: rootProcess ? commandOf(rootProcess) : null};
	if (sample?.lost) return {kind: 'gone', pid: sample.rootPid, command: null, detail: sample.lost};
	const processes = sample?.processes ?? [];
	const active = input.silenceMs < input.activeWithinMs;
	// Every tick judges every active job: it costs a look at each process's state, nothing more.
	if (active && !processes.some(process => process.state === 'T' || process.state === 't')) return {kind: 'ok', ...root, detail: 'active'};
	const depth = sample ? depths(sample) : new Map<number, number>();
	const findings = processes.map(process => ({process, finding: findingOf(process, readings?.get(process.pid))}));
	const named = (kind: DiagnosisKind, found: {process: ProcessSample; finding: Finding | null}): Diagnosis => ({kind, pid: found.process.pid, command: commandOf(found.process), detail: found.finding?.detail ?? ''});
	const stopped = deepest(findings.filter(found => found.finding?.kind === 'stopped'), depth);
	if (stopped) return named('stopped', stopped);
	if (active) return {kind: 'ok', ...root, detail: 'active'};
	const {progress} = input;
	if (progress && progress.repeatsSinceNew > 0) {
		return {kind: 'looping-output', ...root, detail: progress.sample ?? `${progress.repeatsSinceNew} lines repeated since the last new one`};
	}
	for (const kind of diagnosisKinds.slice(diagnosisKinds.indexOf('waiting-for-input'), diagnosisKinds.indexOf('busy'))) {
		const found = deepest(findings.filter(candidate => candidate.finding?.kind === kind), depth);
		if (found) return named(kind, found);
	}
	if (sample && processes.length > 0) {
		const working = input.busy !== null || sample.cpuPercent >= workingPercent;
		if (working) {
			const hottest = processes.reduce((best, process) => ((process.cpuPercent ?? 0) > (best.cpuPercent ?? 0) ? process : best), processes[0]!);
			const below = input.busy === null ? ` (below the busy-hang limit of ${input.cpuLimitPercent}%)` : '';
			return {kind: 'busy', pid: hottest.pid, command: commandOf(hottest), detail: `CPU ${Math.round(sample.cpuPercent * 10) / 10}%${below}`};
		}
		// Every process sleeps: the deepest that is not only waiting for its child says on what.
		const sleeper = deepest(findings.filter(candidate => candidate.finding?.kind !== 'child'), depth) ?? deepest(findings, depth)!;
		const wait = readings?.get(sleeper.process.pid)?.wait;
		const words = sleepingWords(wait);
		return {kind: 'sleeping', pid: sleeper.process.pid, command: commandOf(sleeper.process), detail: wait && !wait.syscallReadable ? `${words}; ${unreadableWords(wait)}` : words};
	}
	if (input.pid !== null) return {kind: 'sleeping', pid: input.pid, command: null, detail: 'its process is not sampled yet'};
	return {kind: 'sleeping', ...root, detail: 'the manifest names no process to look at: judged on silence alone'};
}
