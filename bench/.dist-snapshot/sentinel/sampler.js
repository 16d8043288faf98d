import pidusage from 'pidusage';
import { checkIdentity } from './identity.js';
import { descendantsOf, readRealUid, scanProcesses } from './process-table.js';
const processKey = (info) => `${info.pid}:${info.startTimeMs}`;
/** A sample with no processes: the root is lost, or (fallback) not read yet. */
function emptySample(at, rootPid, lost) {
    return { at, rootPid, processes: [], cpuPercent: 0, cpuTrusted: false, rssBytes: 0, lost };
}
/**
 * Samples job process trees, remembering each process's CPU time between ticks. Call `sample`
 * once a tick with every job: what is not seen again is forgotten, so memory stays flat.
 */
export class Sampler {
    mode;
    /** CPU marks keyed `${pid}:${startTimeMs}`, so a reused pid starts afresh. */
    #cpu = new Map();
    /** Real uid of root processes, keyed like #cpu: the status file is read once per process. */
    #owners = new Map();
    /** Wall time of each tree's previous sample, by target key. */
    #treeSampledAt = new Map();
    #rootStats = new Map();
    #rootFetches = new Map();
    #inFlight = null;
    /** `platform` is for tests that exercise the fallback on Linux. */
    constructor(options = {}) {
        this.mode = (options.platform ?? process.platform) === 'linux' ? 'procfs' : 'pidusage-roots';
    }
    /** Processes whose CPU time is remembered (bounded by the live processes of sampled trees). */
    get trackedProcesses() {
        return this.#cpu.size;
    }
    /** One sample per target, keyed by `target.key`, from `table` or one fresh scan. */
    sample(targets, table) {
        if (this.mode === 'pidusage-roots')
            return this.#sampleRoots(targets);
        const scan = table ?? scanProcesses();
        const nowMs = scan.monotonicMs ?? scan.scannedAt;
        const marks = new Map();
        const results = new Map();
        for (const target of targets) {
            results.set(target.key, this.#sampleTree(target, scan, nowMs, marks));
            this.#treeSampledAt.set(target.key, scan.scannedAt);
        }
        for (const [key, mark] of marks)
            this.#cpu.set(key, mark);
        const live = (pid, startTimeMs) => scan.byPid.get(pid)?.startTimeMs === startTimeMs;
        for (const [key, mark] of this.#cpu)
            if (!live(mark.pid, mark.startTimeMs))
                this.#cpu.delete(key);
        for (const key of this.#owners.keys()) {
            const [pid, start] = key.split(':').map(Number);
            if (!live(pid, start))
                this.#owners.delete(key);
        }
        const wanted = new Set(targets.map(target => target.key));
        for (const key of this.#treeSampledAt.keys())
            if (!wanted.has(key))
                this.#treeSampledAt.delete(key);
        return results;
    }
    /** Resolves when the fallback's pending pidusage read has landed (at once in `procfs` mode). */
    async settle() {
        await this.#inFlight;
    }
    #sampleTree(target, scan, nowMs, marks) {
        const root = scan.byPid.get(target.pid) ?? null;
        const lost = checkIdentity(root, root && root.state !== 'Z' ? this.#ownerOf(root) : null, target);
        if (lost || !root)
            return emptySample(scan.scannedAt, target.pid, lost);
        const previousTreeAt = this.#treeSampledAt.get(target.key);
        const processes = [root, ...descendantsOf(scan, root.pid)].map(info => ({
            ...info,
            cpuPercent: this.#cpuPercent(info, scan, nowMs, previousTreeAt, marks),
        }));
        let cpuPercent = 0;
        let rssBytes = 0;
        for (const member of processes) {
            cpuPercent += member.cpuPercent ?? 0;
            rssBytes += member.rssBytes;
        }
        const cpuTrusted = this.#cpu.has(processKey(root));
        return { at: scan.scannedAt, rootPid: root.pid, processes, cpuPercent, cpuTrusted, rssBytes, lost: null };
    }
    #ownerOf(root) {
        const key = processKey(root);
        const known = this.#owners.get(key);
        if (known !== undefined)
            return known;
        const uid = readRealUid(root.pid);
        if (uid !== null)
            this.#owners.set(key, uid);
        return uid;
    }
    #cpuPercent(info, scan, nowMs, previousTreeAt, marks) {
        const key = processKey(info);
        const already = marks.get(key);
        // A process in two jobs' trees is measured once per scan.
        if (already)
            return already.percent;
        const previous = this.#cpu.get(key);
        let percent = null;
        if (previous) {
            const elapsedMs = nowMs - previous.atMs;
            percent = elapsedMs > 0 ? Math.max(0, ((info.cpuTimeMs - previous.cpuTimeMs) / elapsedMs) * 100) : previous.percent;
        }
        else if (previousTreeAt !== undefined && info.startTimeMs > previousTreeAt) {
            // Born since the tree's last sample: its whole life falls in this interval.
            percent = (info.cpuTimeMs / Math.max(scan.scannedAt - info.startTimeMs, 10)) * 100;
        }
        marks.set(key, { pid: info.pid, startTimeMs: info.startTimeMs, cpuTimeMs: info.cpuTimeMs, atMs: nowMs, percent });
        return percent;
    }
    // Off Linux there is no /proc to scan: pidusage reads the root pids alone (no descendants, no
    // owner check), asynchronously, so each tick shows what the previous tick's read found.
    #sampleRoots(targets) {
        const at = Date.now();
        const results = new Map();
        const livePids = new Set();
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
            const info = {
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
            const processes = [{ ...info, cpuPercent: cpuTrusted ? stat.cpu : null }];
            results.set(target.key, { at, rootPid: target.pid, processes, cpuPercent: cpuTrusted ? stat.cpu : 0, cpuTrusted, rssBytes: stat.memory, lost: null });
        }
        this.#fetchRoots([...livePids]);
        return results;
    }
    #fetchRoots(pids) {
        if (this.#inFlight || pids.length === 0)
            return;
        this.#inFlight = pidusage(pids)
            .then(stats => {
            const next = new Map();
            for (const pid of pids) {
                const stat = stats[pid];
                if (stat)
                    next.set(pid, stat);
            }
            for (const pid of this.#rootFetches.keys())
                if (!next.has(pid))
                    this.#rootFetches.delete(pid);
            for (const pid of next.keys())
                this.#rootFetches.set(pid, (this.#rootFetches.get(pid) ?? 0) + 1);
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
function isAlive(pid) {
    // kill(0 or less) would address process groups.
    if (!Number.isInteger(pid) || pid <= 1)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
