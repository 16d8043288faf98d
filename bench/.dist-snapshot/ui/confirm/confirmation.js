// SPEC section 5: where recover sends each monitored status.
const recoverStatuses = {
    RUNNING: 'PENDING',
    EXECUTING: 'PENDING',
    PROVISIONING: 'PENDING',
    HARVESTING: 'PENDING',
    REVIEWING: 'REVIEW_REQUIRED',
    RECOVERING: 'INTERVENTION_REQUIRED',
};
/** The status a recover would write for a job in `status`. */
export function recoverStatus(status) {
    return recoverStatuses[status.toUpperCase()] ?? 'PENDING (or REVIEW_REQUIRED)';
}
function outcomeOf(action, view) {
    const status = action === 'terminate' ? 'INTERVENTION_REQUIRED' : recoverStatus(view.job.status);
    if (view.job.pid === null)
        return `status -> ${status}; no process to signal (the job names no pid)`;
    if (view.sample?.lost)
        return `status -> ${status}; no signal: ${view.sample.lost}`;
    if (action === 'terminate')
        return `SIGTERM the tree, SIGKILL after grace; status -> ${status}`;
    return `status -> ${status}, then stop the tree (SIGTERM, SIGKILL after grace)`;
}
/** The confirmation for `action` on a job, or why the job cannot take it. */
export function confirmationFor(action, view) {
    const { job } = view;
    if (!job.valid)
        return { refused: `${job.jobId} is invalid (${job.error}): never acted on` };
    const root = view.sample?.processes.find(process => process.pid === view.sample?.rootPid);
    return {
        action,
        target: { jobId: job.jobId, dir: job.dir, pid: job.pid, processStartMs: job.processStartMs ?? root?.startTimeMs ?? null },
        command: job.command ?? root?.name ?? 'unknown command',
        outcome: outcomeOf(action, { ...view, job }),
    };
}
