/**
 * The numbers a job is judged by: the configured defaults, replaced by the job's own `sentinel`
 * overrides where it has them. The role timeout T is capped at the critical timeout C, so a job
 * is never critical before it is high.
 */
export function thresholdsFor(job, config) {
    const { overrides } = job;
    const criticalTimeoutMs = overrides.criticalTimeoutMs ?? config.criticalTimeoutMs;
    const roleTimeoutMs = overrides.timeoutMs ?? (job.role === 'supervisor' ? config.supervisorTimeoutMs : config.workerTimeoutMs);
    return {
        role: job.role,
        roleTimeoutMs: Math.min(roleTimeoutMs, criticalTimeoutMs),
        criticalTimeoutMs,
        memoryLimitBytes: overrides.memoryLimitBytes ?? config.memoryLimitBytes,
        cpuLimitPercent: overrides.cpuLimitPercent ?? config.cpuLimitPercent,
        cpuSamples: config.cpuSamples,
    };
}
