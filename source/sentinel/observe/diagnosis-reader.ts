import type {Config} from '../../config/load-config.js';
import type {ProcessSample} from '../../types.js';
import type {JobState} from '../job-state.js';
import type {ProcessReading, ProcessWait, TreeReadings} from './diagnosis-readings.js';
import {ProcTables} from './proc-tables.js';
import {readCommand} from './proc-wait.js';
import {readWait, type Tree} from './read-wait.js';

/**
 * A process whose stat line did not move is read again after this many ticks anyway (five minutes
 * at the default interval): it could have gone from one wait to another without a tick of CPU.
 * Every 30 ticks, these reads were half the reader's cost over 500 sleeping jobs.
 */
export const refreshTicks = 150;

/** What the reader keeps of one process between ticks. */
type Kept = {
	startTimeMs: number;
	/** The tick that last saw it, and the one that last read what it waits on. */
	seenTick: number;
	readTick: number;
	/** Its sample when last read: the sampler keeps the same object while its stat line stands still. */
	sample: ProcessSample | null;
	/** Its name (comm) when its command line was read, null before: an exec changes both, the start time neither. */
	commandOf: string | null;
	reading: ProcessReading;
};

const unread: ProcessReading = {command: null, diskWaitSamples: 0, wait: null};

/** Two readings of what a process waits on that say the same. */
export function sameWait(a: ProcessWait | null, b: ProcessWait | null): boolean {
	if (a === null || b === null) return a === b;
	const sameTargets = a.targets.length === b.targets.length && a.targets.every((target, index) => JSON.stringify(target) === JSON.stringify(b.targets[index]));
	return a.wchan === b.wchan && a.syscallReadable === b.syscallReadable && a.running === b.running && a.call === b.call && sameTargets && JSON.stringify(a.lock) === JSON.stringify(b.lock);
}

/** Whether each status, as manifests spell it, is monitored: a handful of strings, looked up rather than upper-cased every tick. */
const monitoredByStatus = new WeakMap<readonly string[], Map<string, boolean>>();

function monitored(config: Config, status: string): boolean {
	let known = monitoredByStatus.get(config.monitoredStatuses);
	if (!known) monitoredByStatus.set(config.monitoredStatuses, (known = new Map()));
	let answer = known.get(status);
	if (answer === undefined) known.set(status, (answer = config.monitoredStatuses.includes(status.toUpperCase())));
	return answer;
}

/**
 * Reads from /proc what the processes of silent jobs are blocked on (SPEC section 12), for the
 * pure classifier to judge. The costly reads (syscall, wchan, descriptors, /proc/locks,
 * /proc/net/tcp) are made only for jobs silent for at least an interval, only for processes that
 * moved since they were last read (or not for `refreshTicks`), and the machine-wide tables at most
 * once a tick. An active job costs a loop over its processes' states (disk-wait is counted in
 * samples in a row) and its root's command line, read once in the process's life.
 */
export class DiagnosisReader {
	readonly #kept = new Map<number, Kept>();
	/** Each job's readings as last handed out, with its processes then: the same map while neither changed. */
	readonly #trees = new WeakMap<JobState, {processes: readonly ProcessSample[]; list: ProcessReading[]; map: TreeReadings}>();
	#tick = 0;

	/** Read every monitored job's tree (after this tick's sampling) into `state.readings`. */
	observe(states: ReadonlyMap<string, JobState>, now: number, config: Config): void {
		const tick = ++this.#tick;
		const tables = new ProcTables();
		// A loop, not forEach with an arrow made each tick (whose compiled code V8 holds only weakly).
		for (const state of states.values()) state.readings = this.#readJob(state, now, config, tables, tick);
		this.#kept.forEach((kept, pid) => {
			if (kept.seenTick !== tick) this.#kept.delete(pid);
		});
	}

	#readJob(state: JobState, now: number, config: Config, tables: ProcTables, tick: number): TreeReadings | null {
		const job = state.record;
		const sample = state.sample;
		if (!job.valid || !sample || sample.lost || sample.processes.length === 0 || !monitored(config, job.status)) return null;
		// Silence as of the last assessment (or later file activity): never less than the assessment
		// will find, so a job it judges silent has been read.
		const silenceMs = now - Math.max(state.lastActivityMs ?? 0, state.fileActivityMs ?? 0);
		const silent = silenceMs >= config.intervalMs;
		const previous = this.#trees.get(state);
		// The sampler keeps a tree's array while none of its processes moved; so is the map kept
		// while every reading is the one handed out before: a tick of sleeping jobs allocates nothing.
		const same = previous?.processes === sample.processes ? previous : undefined;
		let list: ProcessReading[] | null = null;
		const {processes} = sample;
		for (let index = 0; index < processes.length; index++) {
			const process = processes[index]!;
			const reading = this.#readProcess(process, process.pid === sample.rootPid, silent, sample, tables, tick);
			if (list) list.push(reading);
			else if (same?.list[index] !== reading) list = [...(same?.list.slice(0, index) ?? []), reading];
		}
		// Only a tree that is the same array, every reading unchanged, leaves no list made.
		if (!list) return same!.map;
		const map = new Map(processes.map((process, index) => [process.pid, list[index]!]));
		this.#trees.set(state, {processes, list, map});
		return map;
	}

	#readProcess(process: ProcessSample, root: boolean, silent: boolean, tree: Tree, tables: ProcTables, tick: number): ProcessReading {
		const known = this.#kept.get(process.pid);
		const kept: Kept = known?.startTimeMs === process.startTimeMs ? known : {startTimeMs: process.startTimeMs, seenTick: 0, readTick: Number.NEGATIVE_INFINITY, sample: null, commandOf: null, reading: unread};
		if (kept !== known) this.#kept.set(process.pid, kept);
		// A process in two jobs' trees is counted and read once a tick.
		if (kept.seenTick === tick) return kept.reading;
		const firstLook = kept.seenTick === 0;
		kept.seenTick = tick;
		let {command, diskWaitSamples, wait} = kept.reading;
		diskWaitSamples = process.state === 'D' ? (firstLook ? 1 : diskWaitSamples + 1) : 0;
		if (kept.commandOf !== process.name && (root || silent)) {
			command = readCommand(process.pid);
			kept.commandOf = process.name;
		}
		if (silent && (kept.sample !== process || wait === null || tick - kept.readTick >= refreshTicks)) {
			const fresh = readWait(process.pid, process.state, tree, tables);
			// Read again to the same result, the reading (and the job's diagnosis) is kept as it was.
			if (!sameWait(fresh, wait)) wait = fresh;
			kept.readTick = tick;
			kept.sample = process;
		}
		const reading = kept.reading;
		if (reading.command !== command || reading.diskWaitSamples !== diskWaitSamples || reading.wait !== wait) kept.reading = {command, diskWaitSamples, wait};
		return kept.reading;
	}

	/** Processes remembered (bounded by the live processes of monitored trees). */
	get trackedProcesses(): number {
		return this.#kept.size;
	}
}
