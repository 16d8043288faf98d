import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createManifest, updateManifest } from '../../jobs/update-manifest.js';
import { readProcess } from '../../sentinel/process-table.js';
const manifestName = 'job_manifest.json';
const lockRetryMs = 100;
const identityToleranceMs = 2000;
function now() {
    return new Date().toISOString();
}
function history(manifest) {
    return Array.isArray(manifest['history']) ? manifest['history'] : [];
}
function running(current, facts, event) {
    const { exit_code: _exitCode, signal: _signal, ...kept } = current;
    const stamp = now();
    return {
        ...kept,
        job_id: facts.jobId,
        status: 'RUNNING',
        role: facts.role,
        process_id: facts.pid,
        process_start: new Date(facts.processStartMs).toISOString(),
        command: facts.command,
        created_at: current['created_at'] ?? stamp,
        updated_at: stamp,
        history: [...history(current), { timestamp: stamp, ...event }],
    };
}
function statusOf(manifest) {
    return typeof manifest?.['status'] === 'string' ? manifest['status'] : null;
}
function isStatus(manifest, status) {
    return statusOf(manifest)?.toUpperCase() === status;
}
// The process a manifest names, if it still lives (and is that process, when a start time says so).
function livingProcess(manifest) {
    const metadata = manifest['metadata'];
    const pid = manifest['process_id'] ?? manifest['pid'] ?? metadata?.['pid'];
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1)
        return null;
    const info = readProcess(pid);
    if (!info || info.state === 'Z')
        return null;
    const start = typeof manifest['process_start'] === 'string' ? Date.parse(manifest['process_start']) : Number.NaN;
    if (!Number.isNaN(start) && Math.abs(info.startTimeMs - start) > identityToleranceMs)
        return null;
    return pid;
}
// The lock is held by a sentinel's write (milliseconds) or another tool: worth a short wait.
async function updateWithRetry(manifestPath, change, waitMs) {
    const deadline = Date.now() + waitMs;
    for (;;) {
        const result = await updateManifest(manifestPath, change);
        if ((result.outcome !== 'locked' && result.outcome !== 'changed') || Date.now() >= deadline)
            return result;
        await sleep(lockRetryMs);
    }
}
function notWritten(result, seen, waitMs) {
    const reason = result.outcome === 'locked'
        ? `its lock stayed busy for ${waitMs / 1000}s`
        : result.outcome === 'failed'
            ? result.error
            : `its status is ${statusOf(seen) ?? 'gone'}`;
    return { recorded: false, status: statusOf(seen), pid: seen?.['process_id'], reason };
}
/**
 * Write the manifest of a first start: a new job directory gets a new manifest; an existing one
 * (an `--id` used before) is taken over unless its process still runs.
 */
export async function recordStart(jobDir, facts, lockWaitMs) {
    const fresh = running({}, facts, { event: 'JOB_STARTED' });
    try {
        await createManifest(jobDir, fresh);
        return { recorded: true };
    }
    catch (error) {
        if (error.code !== 'EEXIST')
            return { recorded: false, status: null, pid: null, reason: error.message };
    }
    let seen = null;
    let busyPid = null;
    const result = await updateWithRetry(path.join(jobDir, manifestName), current => {
        seen = current;
        busyPid = livingProcess(current);
        return busyPid === null ? running(current, facts, { event: 'JOB_STARTED' }) : null;
    }, lockWaitMs);
    if (result.outcome === 'written')
        return { recorded: true };
    if (busyPid !== null)
        return { recorded: false, status: statusOf(seen), pid: busyPid, reason: `its process ${busyPid} still runs` };
    return notWritten(result, seen, lockWaitMs);
}
/** After a recovery: RUNNING again with the new process, only if the job is still the PENDING one we left. */
export async function recordRestart(manifestPath, previousPid, facts, restart, lockWaitMs) {
    let seen = null;
    const result = await updateWithRetry(manifestPath, current => {
        seen = current;
        if (!isStatus(current, 'PENDING') || current['process_id'] !== previousPid)
            return null;
        return running(current, facts, { event: 'JOB_RESTARTED', restart, previous_process_id: previousPid });
    }, lockWaitMs);
    return result.outcome === 'written' ? { recorded: true } : notWritten(result, seen, lockWaitMs);
}
/** SUCCESS or FAILED, by compare-and-set: only while the manifest still says RUNNING with our pid. */
export async function recordEnd(manifestPath, pid, end, lockWaitMs) {
    let seen = null;
    const result = await updateWithRetry(manifestPath, current => {
        seen = current;
        if (!isStatus(current, 'RUNNING') || current['process_id'] !== pid)
            return null;
        const stamp = now();
        const failed = end.exitCode !== 0;
        const signal = end.signal ? { signal: end.signal } : {};
        return {
            ...current,
            status: failed ? 'FAILED' : 'SUCCESS',
            exit_code: end.exitCode,
            ...signal,
            updated_at: stamp,
            history: [...history(current), { event: failed ? 'JOB_FAILED' : 'JOB_COMPLETED', timestamp: stamp, exit_code: end.exitCode, ...signal }],
        };
    }, lockWaitMs);
    return result.outcome === 'written' ? { recorded: true } : notWritten(result, seen, lockWaitMs);
}
