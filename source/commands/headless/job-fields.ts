import type {JobRecord} from '../../types.js';

/** The fields every JSON interface shows of a job, in snake_case. */
export function jobFields(job: JobRecord): Record<string, unknown> {
	if (!job.valid) return {job_id: job.jobId, dir: job.dir, valid: false, error: job.error};
	return {job_id: job.jobId, dir: job.dir, valid: true, status: job.status, role: job.role, pid: job.pid};
}
