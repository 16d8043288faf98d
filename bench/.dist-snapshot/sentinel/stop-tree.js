import { performance } from 'node:perf_hooks';
import { guardSignalTarget } from './identity.js';
import { ancestorsOf, descendantsOf, readProcess, scanProcesses } from './process-table.js';
const pollMs = 50;
const killConfirmMs = 500;
/**
 * Stop a job's process tree (SPEC section 5): snapshot the root and its descendants with their
 * start times, SIGTERM them, wait `graceMs` (less when all are gone), rescan for descendants and
 * for processes in groups or sessions led by a member, then SIGKILL every member still alive.
 * A pid whose start time no longer matches the snapshot is never signalled. When the root itself
 * may not be signalled, nothing is.
 */
export async function stopTree(rootPid, options) {
    const now = options.now ?? (() => performance.now());
    const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
    const scan = options.scan ?? scanProcesses;
    const started = now();
    const table = scan();
    const self = table.byPid.get(process.pid) ?? readProcess(process.pid);
    const safety = { selfPid: process.pid, ancestorPids: [process.ppid, ...ancestorsOf(table, process.pid)] };
    /** pid -> start time: who belongs to the tree, by identity. */
    const members = new Map();
    const refused = new Map();
    const signalled = [];
    const killed = [];
    const report = () => ({
        signalled,
        killed,
        refused: [...refused].map(([pid, reason]) => ({ pid, reason })),
        durationMs: Math.round(now() - started),
        survivors: [...members.keys()].filter(pid => isMember(pid)),
    });
    const isMember = (pid) => sameProcess(readProcess(pid), members.get(pid));
    const root = table.byPid.get(rootPid);
    if (!root)
        return report();
    members.set(rootPid, root.startTimeMs);
    // Stopping "the tree" of init or of our own parent would be stopping everything.
    const rootRefusal = guardSignalTarget(rootPid, safety);
    if (rootRefusal) {
        refused.set(rootPid, rootRefusal);
        return report();
    }
    for (const child of descendantsOf(table, rootPid))
        members.set(child.pid, child.startTimeMs);
    const send = (pid, signal) => {
        if (refused.has(pid))
            return false;
        const current = readProcess(pid);
        if (!sameProcess(current, members.get(pid))) {
            if (current && current.state !== 'Z')
                refused.set(pid, `pid ${pid} now belongs to another process (its start time changed)`);
            return false;
        }
        const reason = guardSignalTarget(pid, safety) ?? options.guard(pid);
        if (reason) {
            refused.set(pid, reason);
            return false;
        }
        try {
            kill(pid, signal);
            return true;
        }
        catch (error) {
            const code = error.code;
            if (code !== 'ESRCH')
                refused.set(pid, `${signal} to pid ${pid} failed: ${code ?? String(error)}`);
            return false;
        }
    };
    for (const pid of members.keys())
        if (send(pid, 'SIGTERM'))
            signalled.push(pid);
    const deadline = now() + options.graceMs;
    while (now() < deadline && signalled.some(pid => isMember(pid))) {
        await sleep(Math.min(pollMs, Math.max(1, deadline - now())));
    }
    addLateMembers(members, scan(), self);
    for (const pid of members.keys())
        if (send(pid, 'SIGKILL'))
            killed.push(pid);
    const confirmBy = now() + killConfirmMs;
    while (now() < confirmBy && killed.some(pid => isMember(pid)))
        await sleep(10);
    return report();
}
/**
 * Add to `members` what the rescan finds: live descendants of live members, and processes in a
 * process group or session led by a member (a child that left the tree by double fork keeps those),
 * never the sentinel's own group or session.
 */
function addLateMembers(members, table, self) {
    const add = (info) => {
        if (members.has(info.pid) || info.state === 'Z')
            return false;
        members.set(info.pid, info.startTimeMs);
        return true;
    };
    for (let grew = true; grew;) {
        grew = false;
        for (const [pid, startMs] of [...members]) {
            if (!sameProcess(table.byPid.get(pid) ?? null, startMs))
                continue;
            for (const child of descendantsOf(table, pid))
                grew = add(child) || grew;
        }
        for (const info of table.byPid.values()) {
            const inGroup = members.has(info.pgid) && info.pgid !== self?.pgid;
            const inSession = members.has(info.sid) && info.sid !== self?.sid;
            if (inGroup || inSession)
                grew = add(info) || grew;
        }
    }
}
/**
 * Whether `current` is still the process first seen with `startMs`. Start times are btime (whole
 * seconds, re-read now and then) plus clock ticks, so the same process can read exactly a second
 * off when btime's rounding moves; any other difference means the pid was reused.
 */
function sameProcess(current, startMs) {
    if (!current || startMs === undefined || current.state === 'Z')
        return false;
    const drift = Math.abs(current.startTimeMs - startMs);
    return drift <= 1 || Math.abs(drift - 1000) <= 1;
}
function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}
