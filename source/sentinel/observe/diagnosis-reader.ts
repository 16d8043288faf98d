import type {Config} from '../../config/load-config.js';
import type {ProcessSample} from '../../types.js';
import type {JobState} from '../job-state.js';
import type {ProcessReading, TreeReadings} from './diagnosis-readings.js';
import {ProcTables} from './proc-tables.js';
import {readCommand} from './proc-wait.js';
import {readWait, type Tree} from './read-wait.js';

/**
 * A process whose stat line did not move is read again after this many ticks anyway (a minute at
 * the default interval): it could have gone from one wait to another without a tick of CPU.
 */
export const refreshTicks = 30;

/** What the reader keeps of one process between ticks. */
type Kept = {
	startTimeMs: number;
	/** The tick that last saw it, and the one that last read what it waits on. */
	seenTick: number;
	readTick: number;
	/** Its sample when last read: the sampler keeps the same object while its stat line stands still. */
	sample: ProcessSample | null;
	commandRead: boolean;
	reading: ProcessReading;
};

const unread: ProcessReading = {command: null, diskWaitSamples: 0, wait: null};

function monitored(config: Config, status: string): boolean {
	return config.monitoredStatuses.some(name => name.length === status.length && name === status.toUpperCase());
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
	/** Each job's readings as last handed out: the same map while none of them changed. */
	readonly #trees = new WeakMap<JobState, {list: ProcessReading[]; map: TreeReadings}>();
	#tick = 0;

	/** Read every monitored job's tree (after this tick's sampling) into `state.readings`. */
	observe(states: ReadonlyMap<string, JobState>, now: number, config: Config): void {
		const tick = ++this.#tick;
		const tables = new ProcTables();
		states.forEach(state => {
			state.readings = this.#readJob(state, now, config, tables, tick);
		});
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
		const tree = {root: sample.rootPid, pids: silent ? sample.processes.map(process => process.pid) : []};
		const list: ProcessReading[] = [];
		for (const process of sample.processes) list.push(this.#readProcess(process, process.pid === sample.rootPid, silent, tree, tables, tick));
		const previous = this.#trees.get(state);
		if (previous && previous.list.length === list.length && previous.list.every((reading, index) => reading === list[index]) && sameOrder(previous.map, sample.processes)) return previous.map;
		const map = new Map(sample.processes.map((process, index) => [process.pid, list[index]!]));
		this.#trees.set(state, {list, map});
		return map;
	}

	#readProcess(process: ProcessSample, root: boolean, silent: boolean, tree: Tree, tables: ProcTables, tick: number): ProcessReading {
		const known = this.#kept.get(process.pid);
		const kept: Kept = known?.startTimeMs === process.startTimeMs ? known : {startTimeMs: process.startTimeMs, seenTick: 0, readTick: Number.NEGATIVE_INFINITY, sample: null, commandRead: false, reading: unread};
		if (kept !== known) this.#kept.set(process.pid, kept);
		// A process in two jobs' trees is counted and read once a tick.
		if (kept.seenTick === tick) return kept.reading;
		const firstLook = kept.seenTick === 0;
		kept.seenTick = tick;
		let {command, diskWaitSamples, wait} = kept.reading;
		diskWaitSamples = process.state === 'D' ? (firstLook ? 1 : diskWaitSamples + 1) : 0;
		if (!kept.commandRead && (root || silent)) {
			command = readCommand(process.pid);
			kept.commandRead = true;
		}
		if (silent && (kept.sample !== process || wait === null || tick - kept.readTick >= refreshTicks)) {
			wait = readWait(process.pid, process.state, tree, tables);
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

function sameOrder(map: TreeReadings, processes: readonly ProcessSample[]): boolean {
	if (map.size !== processes.length) return false;
	let index = 0;
	for (const pid of map.keys()) if (processes[index++]!.pid !== pid) return false;
	return true;
}
