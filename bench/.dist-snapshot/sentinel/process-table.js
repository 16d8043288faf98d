import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
/** True where processes are read from /proc (Linux); elsewhere the table is empty and the sampler falls back to pidusage. */
export const procfsAvailable = process.platform === 'linux';
let kernelUnits;
// One spawn for the life of the process: these never change while the machine runs.
function units() {
    if (kernelUnits)
        return kernelUnits;
    const result = spawnSync('/bin/sh', ['-c', 'getconf CLK_TCK; getconf PAGESIZE'], { encoding: 'utf8', timeout: 5000 });
    const [ticks, page] = (result.stdout ?? '').split('\n').map(line => Number.parseInt(line, 10));
    kernelUnits = {
        ticksPerSecond: ticks && ticks > 0 ? ticks : 100,
        pageBytes: page && page > 0 ? page : 4096,
    };
    return kernelUnits;
}
let boot;
// btime (/proc/stat) is whole seconds, which would put start times up to 1 s early; now minus
// /proc/uptime is exact to a tick but jitters from read to read. So the exact value is taken once
// and kept while btime stands still: btime only moves when the wall clock is stepped, and then
// start times follow the new wall clock, as ps shows them.
function bootTimeMs() {
    const now = Date.now();
    if (boot && Math.abs(now - boot.readAt) < 1000)
        return boot.ms;
    const match = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'latin1'));
    const btime = match ? Number(match[1]) * 1000 : 0;
    if (boot?.btime === btime) {
        boot.readAt = now;
        return boot.ms;
    }
    const uptimeMs = Number.parseFloat(fs.readFileSync('/proc/uptime', 'latin1')) * 1000;
    const exact = Math.round(Date.now() - uptimeMs);
    boot = { btime, ms: Math.abs(exact - btime - 500) <= 600 ? exact : btime, readAt: now };
    return boot.ms;
}
const statBuffer = Buffer.alloc(4096);
function readStatText(pid) {
    let fd;
    try {
        fd = fs.openSync(`/proc/${pid}/stat`, 'r');
    }
    catch {
        return null;
    }
    try {
        const length = fs.readSync(fd, statBuffer, 0, statBuffer.length, 0);
        if (length < statBuffer.length)
            return statBuffer.toString('utf8', 0, length);
        return fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    }
    catch {
        // The process exited between open and read.
        return null;
    }
    finally {
        fs.closeSync(fd);
    }
}
/** Parse one /proc/<pid>/stat line; null when it is not one. */
export function parseStat(text, bootMs, ticksPerSecond, pageBytes) {
    // comm may hold spaces and ')' itself: it ends at the last ')'.
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open)
        return null;
    const pid = Number.parseInt(text.slice(0, open), 10);
    // Fields from 3 (state) on; field n of proc(5) is at index n - 3.
    const fields = text.slice(close + 2).split(' ');
    const field = (n) => Number(fields[n - 3]);
    const state = fields[0];
    if (!Number.isInteger(pid) || !state || fields.length < 22)
        return null;
    const tickMs = 1000 / ticksPerSecond;
    return {
        pid,
        ppid: field(4),
        pgid: field(5),
        sid: field(6),
        state,
        startTimeMs: bootMs + Math.round(field(22) * tickMs),
        cpuTimeMs: Math.round((field(14) + field(15)) * tickMs),
        rssBytes: Math.max(0, field(24)) * pageBytes,
        name: text.slice(open + 1, close),
    };
}
/** One process read afresh from /proc, or null when it is gone (or off Linux). */
export function readProcess(pid) {
    if (!procfsAvailable || !Number.isInteger(pid) || pid < 1)
        return null;
    const text = readStatText(pid);
    if (text === null)
        return null;
    const { ticksPerSecond, pageBytes } = units();
    return parseStat(text, bootTimeMs(), ticksPerSecond, pageBytes);
}
/** The real uid of a process (first field of `Uid:` in /proc/<pid>/status), or null when unreadable. */
export function readRealUid(pid) {
    if (!procfsAvailable || !Number.isInteger(pid) || pid < 1)
        return null;
    try {
        const match = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
        return match ? Number(match[1]) : null;
    }
    catch {
        return null;
    }
}
/** Read every process once: one readdir of /proc and one stat file each. Processes that exit mid-scan are skipped. */
export function scanProcesses() {
    const byPid = new Map();
    const children = new Map();
    const table = { byPid, children, scannedAt: Date.now(), monotonicMs: performance.now() };
    if (!procfsAvailable)
        return table;
    const { ticksPerSecond, pageBytes } = units();
    const bootMs = bootTimeMs();
    for (const entry of fs.readdirSync('/proc')) {
        const first = entry.charCodeAt(0);
        if (first < 48 || first > 57)
            continue;
        const text = readStatText(Number(entry));
        if (text === null)
            continue;
        const info = parseStat(text, bootMs, ticksPerSecond, pageBytes);
        if (!info)
            continue;
        byPid.set(info.pid, info);
        const siblings = children.get(info.ppid);
        if (siblings)
            siblings.push(info.pid);
        else
            children.set(info.ppid, [info.pid]);
    }
    return table;
}
/** Every descendant of `pid` in the table (children first, then theirs), the process itself left out. */
export function descendantsOf(table, pid) {
    const found = [];
    const seen = new Set([pid]);
    const queue = [pid];
    for (let index = 0; index < queue.length; index++) {
        for (const child of table.children.get(queue[index]) ?? []) {
            const info = table.byPid.get(child);
            if (!info || seen.has(child))
                continue;
            seen.add(child);
            found.push(info);
            queue.push(child);
        }
    }
    return found;
}
/** The pids above `pid` in the table, its parent first, up to the root of the tree. */
export function ancestorsOf(table, pid) {
    const found = [];
    const seen = new Set([pid]);
    let parent = table.byPid.get(pid)?.ppid;
    while (parent !== undefined && parent > 0 && !seen.has(parent)) {
        found.push(parent);
        seen.add(parent);
        parent = table.byPid.get(parent)?.ppid;
    }
    return found;
}
