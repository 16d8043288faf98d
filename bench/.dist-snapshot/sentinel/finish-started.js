import { auditEntry } from './audit-log.js';
const hourMs = 3_600_000;
/**
 * Crash safety: a sentinel that takes the leader lock finishes every action whose `started`
 * entry has no result (its sentinel died in between), once, after the same checks, under the
 * same action id, so the hourly limit counts it once. Each job's finishing runs in the
 * background, handed to `track`, so a stop in its grace period never holds up monitoring.
 */
export function finishStartedActions(executor, audit, states, track) {
    const entries = audit.readAll();
    const finished = new Set(entries.filter(entry => entry.result !== 'started').map(entry => entry.action_id));
    const now = Date.now();
    const open = entries.filter(entry => entry.result === 'started' && !finished.has(entry.action_id) && entry.action !== 'notify' && Date.parse(entry.ts) > now - hourMs);
    // One job's interrupted actions run one after another, never side by side on one tree.
    const chains = new Map();
    for (const started of open) {
        const action = started.action;
        const state = states.find(candidate => candidate.record.jobId === started.job_id);
        const job = state?.record;
        if (!state || !job?.valid) {
            audit.append(auditEntry({ ...started, result: 'failed', reason: `finishing an interrupted ${action}: the job is gone or invalid` }, now));
            continue;
        }
        const lost = state.sample?.lost ?? null;
        const request = {
            action,
            actor: started.actor,
            job,
            severity: started.severity,
            evidence: started.evidence,
            reason: `finishing an interrupted ${action} (${started.reason})`,
            expected: job.pid === null || lost ? null : { pid: job.pid, processStartMs: job.processStartMs, notAfterMs: state.firstSeenPid?.manifestMtimeMs ?? job.manifestMtimeMs, ownerUid: job.ownerUid },
            noProcessReason: job.pid === null ? 'the job names no pid' : lost ? `process lost (${lost})` : undefined,
            counted: started.actor === 'auto',
            resume: { actionId: started.action_id },
        };
        const work = (chains.get(job.dir) ?? Promise.resolve()).then(async () => {
            const outcome = await executor.execute(request);
            if (!outcome.done)
                audit.append(auditEntry({ ...started, result: 'failed', reason: `finishing an interrupted ${action}: ${outcome.why}` }, Date.now()));
        });
        chains.set(job.dir, work);
        track(job.dir, work);
    }
}
