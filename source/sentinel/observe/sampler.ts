import pidusage from 'pidusage';
import type {ProcessInfo, ProcessSample, TreeSample} from '../../types.js';
import {checkIdentity} from '../act/identity.js';
import {descendantsOf, freshProcess, holdStatFiles, readRealUid, scanProcesses, type ProcessTable} from './process-table.js';

/** One job whose process tree is to be sampled. */
export type SampleTarget = {
	/** The job directory: the key of the result. */
	key: string;
	pid: number;
	/** The manifest's `process_start` (epoch ms), when it has one. */
	processStartMs: number | null;
	/** The manifest's mtime when the sentinel first read this pid there (epoch ms), when known. */
	notAfterMs: number | null;
	/** Owner uid of the manifest file. */
	ownerUid: number;
};

/** `procfs`: whole trees from one /proc scan (Linux). `pidusage-roots`: elsewhere, the root processes alone, one tick late. */
export type SamplingMode = 'procfs' | 'pidusage-roots';

/** What the sampler remembers of one process between scans. */
type CpuMark = {
	startTimeMs: number;
	cpuTimeMs: number;
	/** When its CPU time was read (monotonic ms). */
	atMs: number;
	percent: number | null;
	/** The scan that first measured it, and the latest. */
	firstScan: number;
	scan: number;
	/** Its latest sample and the info that was made from: the same sample while neither moves. */
	info: ProcessInfo;
	sample: ProcessSample;
};

/** What the sampler remembers of one job's tree: when it was last sampled, and its processes then. */
type TreeMark = {at: number; scan: number; processes: ProcessSample[]};

/** A sample with no processes: the root is lost, or (fallback) not read yet. */
function emptySample(at: number, rootPid: number, lost: string | null): TreeSample {
	return {at, rootPid, processes: [], cpuPercent: 0, cpuTrusted: false, rssBytes: 0, lost};
}

/**
 * Samples job process trees, remembering each process's CPU time between ticks. Call `sample`
 * once a tick with every job: what is not seen again is forgotten, so memory stays flat.
 */
export class Sampler {
	readonly mode: SamplingMode;
	/** CPU marks by pid; a mark whose start time differs is another process that reused the pid. */
	readonly #cpu = new Map<number, CpuMark>();
	/** Real uid of root processes by pid, with their start time: the status file is read once per process. */
	readonly #owners = new Map<number, {startTimeMs: number; uid: number}>();
	/** Each tree's previous sample, by target key. */
	readonly #trees = new Map<string, TreeMark>();
	#scans = 0;
	#rootStats = new Map<number, pidusage.Status>();
	readonly #rootFetches = new Map<number, number>();
	#inFlight: Promise<void> | null = null;

	/** `platform` is for tests that exercise the fallback on Linux. */
	constructor(options: {platform?: NodeJS.Platform} = {}) {
		this.mode = (options.platform ?? process.platform) === 'linux' ? 'procfs' : 'pidusage-roots';
		// The processes of the trees it samples are read every scan: their stat files are held open.
		if (this.mode === 'procfs') holdStatFiles(pid => this.#cpu.has(pid));
	}

	/** Processes whose CPU time is remembered: those of the trees the last scan sampled. */
	get trackedProcesses(): number {
		return this.#cpu.size;
	}

	/**
	 * One sample per target, keyed by `target.key`, from `table` or one fresh scan. A process that
	 * did not move since the previous scan keeps its sample object, and a tree of such processes its
	 * array: a tick of sleeping jobs makes little garbage.
	 */
	sample(targets: readonly SampleTarget[], table?: ProcessTable): Map<string, TreeSample> {
		if (this.mode === 'pidusage-roots') return this.#sampleRoots(targets);
		// Partial: what no tree sampled held at the last scan is read only when new, or when it joins a tree (#sampleTree).
		const scan = table ?? scanProcesses({partial: true});
		const nowMs = scan.monotonicMs ?? scan.scannedAt;
		const scanNumber = ++this.#scans;
		const results = new Map<string, TreeSample>();
		for (const target of targets) results.set(target.key, this.#sampleTree(target, scan, nowMs, scanNumber));
		// forEach, not for-of: no array per entry. What is gone, or no longer a target, is forgotten.
		const gone = (pid: number, startTimeMs: number) => scan.byPid.get(pid)?.startTimeMs !== startTimeMs;
		// A mark not measured by this scan is of a process gone or no tree holds any more (its stat
		// file then no longer held); one measured was matched by this scan's start time.
		this.#cpu.forEach((mark, pid) => {
			if (mark.scan !== scanNumber) this.#cpu.delete(pid);
		});
		this.#owners.forEach((owner, pid) => {
			if (gone(pid, owner.startTimeMs)) this.#owners.delete(pid);
		});
		this.#trees.forEach((tree, key) => {
			if (tree.scan !== scanNumber) this.#trees.delete(key);
		});
		return results;
	}

	/** Resolves when the fallback's pending pidusage read has landed (at once in `procfs` mode). */
	async settle(): Promise<void> {
		await this.#inFlight;
	}

	#sampleTree(target: SampleTarget, scan: ProcessTable, nowMs: number, scanNumber: number): TreeSample {
		const listed = scan.byPid.get(target.pid);
		const root = listed ? freshProcess(scan, listed) : null;
		const lost = checkIdentity(root, root && root.state !== 'Z' ? this.#ownerOf(root) : null, target);
		const tree = this.#trees.get(target.key);
		const previousTreeAt = tree?.at;
		let processes: ProcessSample[] = [];
		let cpuPercent = 0;
		let rssBytes = 0;
		if (!lost && root) {
			const descendants = descendantsOf(scan, root.pid);
			const count = 1 + descendants.length;
			const previous = tree?.processes;
			// The previous array is kept while every member is the same sample as before; the first
			// that is not starts a new one.
			let fresh: ProcessSample[] | null = null;
			for (let index = 0; index < count; index++) {
				const member = this.#processSample(index === 0 ? root : descendants[index - 1]!, scan, nowMs, previousTreeAt, scanNumber);
				cpuPercent += member.cpuPercent ?? 0;
				rssBytes += member.rssBytes;
				if (fresh) fresh.push(member);
				else if (previous?.length !== count || previous[index] !== member) fresh = [...(previous?.slice(0, index) ?? []), member];
			}
			processes = fresh ?? previous ?? [];
		}
		if (tree) {
			tree.at = scan.scannedAt;
			tree.scan = scanNumber;
			tree.processes = processes;
		} else this.#trees.set(target.key, {at: scan.scannedAt, scan: scanNumber, processes});
		if (lost || !root) return emptySample(scan.scannedAt, target.pid, lost);
		const cpuTrusted = this.#cpu.get(root.pid)!.firstScan < scanNumber;
		return {at: scan.scannedAt, rootPid: root.pid, processes, cpuPercent, cpuTrusted, rssBytes, lost: null};
	}

	#ownerOf(root: ProcessInfo): number | null {
		const known = this.#owners.get(root.pid);
		if (known?.startTimeMs === root.startTimeMs) return known.uid;
		const uid = readRealUid(root.pid);
		if (uid !== null) this.#owners.set(root.pid, {startTimeMs: root.startTimeMs, uid});
		return uid;
	}

	#processSample(info: ProcessInfo, scan: ProcessTable, nowMs: number, previousTreeAt: number | undefined, scanNumber: number): ProcessSample {
		const known = this.#cpu.get(info.pid);
		const mark = known?.startTimeMs === info.startTimeMs ? known : undefined;
		// A process in two jobs' trees is measured once per scan.
		if (mark?.scan === scanNumber) return mark.sample;
		let percent: number | null = null;
		if (mark) {
			const elapsedMs = nowMs - mark.atMs;
			percent = elapsedMs > 0 ? Math.max(0, ((info.cpuTimeMs - mark.cpuTimeMs) / elapsedMs) * 100) : mark.percent;
		} else if (previousTreeAt !== undefined && info.startTimeMs > previousTreeAt) {
			// Born since the tree's last sample: its whole life falls in this interval.
			percent = (info.cpuTimeMs / Math.max(scan.scannedAt - info.startTimeMs, 10)) * 100;
		}
		if (!mark) {
			const sample = {...info, cpuPercent: percent};
			this.#cpu.set(info.pid, {startTimeMs: info.startTimeMs, cpuTimeMs: info.cpuTimeMs, atMs: nowMs, percent, firstScan: scanNumber, scan: scanNumber, info, sample});
			return sample;
		}
		mark.cpuTimeMs = info.cpuTimeMs;
		mark.atMs = nowMs;
		mark.percent = percent;
		mark.scan = scanNumber;
		if (mark.info !== info || !Object.is(mark.sample.cpuPercent, percent)) {
			mark.info = info;
			mark.sample = {...info, cpuPercent: percent};
		}
		return mark.sample;
	}

	// Off Linux there is no /proc to scan: pidusage reads the root pids alone (no descendants, no
	// owner check), asynchronously, so each tick shows what the previous tick's read found.
	#sampleRoots(targets: readonly SampleTarget[]): Map<string, TreeSample> {
		const at = Date.now();
		const results = new Map<string, TreeSample>();
		const livePids = new Set<number>();
		for (const target of targets) {
			if (!isAlive(target.pid)) {
				results.set(target.key, emptySample(at, target.pid, `pid ${target.pid} is gone`));
				continue;
			}
			livePids.add(target.pid);
			const stat = this.#rootStats.get(target.pid);
			if (!stat) {
				results.set(target.key, emptySample(at, target.pid, null));
				continue;
			}
			const info: ProcessInfo = {
				pid: target.pid,
				ppid: stat.ppid,
				pgid: 0,
				sid: 0,
				state: '?',
				startTimeMs: Math.round(stat.timestamp - stat.elapsed),
				cpuTimeMs: stat.ctime,
				rssBytes: stat.memory,
				name: '',
			};
			// The owner is not checked here: pidusage cannot tell it.
			const lost = checkIdentity(info, target.ownerUid, target);
			if (lost) {
				results.set(target.key, emptySample(at, target.pid, lost));
				continue;
			}
			const cpuTrusted = (this.#rootFetches.get(target.pid) ?? 0) > 1;
			const processes = [{...info, cpuPercent: cpuTrusted ? stat.cpu : null}];
			results.set(target.key, {at, rootPid: target.pid, processes, cpuPercent: cpuTrusted ? stat.cpu : 0, cpuTrusted, rssBytes: stat.memory, lost: null});
		}
		this.#fetchRoots([...livePids]);
		return results;
	}

	#fetchRoots(pids: number[]): void {
		if (this.#inFlight || pids.length === 0) return;
		this.#inFlight = pidusage(pids)
			.then(stats => {
				const next = new Map<number, pidusage.Status>();
				for (const pid of pids) {
					const stat = stats[pid];
					if (stat) next.set(pid, stat);
				}
				for (const pid of this.#rootFetches.keys()) if (!next.has(pid)) this.#rootFetches.delete(pid);
				for (const pid of next.keys()) this.#rootFetches.set(pid, (this.#rootFetches.get(pid) ?? 0) + 1);
				this.#rootStats = next;
			})
			.catch(() => {
				// A pid that exited mid-read fails the batch; the next tick reads again.
			})
			.finally(() => {
				this.#inFlight = null;
			});
	}
}

function isAlive(pid: number): boolean {
	// kill(0 or less) would address process groups.
	if (!Number.isInteger(pid) || pid <= 1) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
