import type {Config} from '../../config/load-config.js';
import type {Thresholds, ValidJob} from '../../types.js';

/**
 * The numbers a job is judged by: the configured defaults, replaced by the job's own `sentinel`
 * overrides where it has them. The role timeout T is capped at the critical timeout C, so a job
 * is never critical before it is high.
 */
export function thresholdsFor(job: ValidJob, config: Config): Thresholds {
	const known = worked.get(job);
	if (known?.config === config) return known.thresholds;
	const thresholds = workOut(job, config);
	worked.set(job, {config, thresholds});
	return thresholds;
}

/** A job's record is read afresh each time its manifest changes: its thresholds are worked out once a record. */
const worked = new WeakMap<ValidJob, {config: Config; thresholds: Thresholds}>();

function workOut(job: ValidJob, config: Config): Thresholds {
	const {overrides} = job;
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
