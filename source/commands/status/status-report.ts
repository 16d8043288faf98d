import type {JobView, Snapshot} from '../../sentinel/snapshot.js';
import {compareText} from '../../text/compare-text.js';
import {severities, type Severity} from '../../types.js';

/** Monitoring-plugin exit codes: 0 nothing above low, 1 medium or an invalid job, 2 high or critical. */
export function statusExitCode(jobs: readonly JobView[]): number {
	const worst = Math.max(0, ...jobs.map(view => severities.indexOf(view.severity)));
	if (worst >= severities.indexOf('high')) return 2;
	if (worst === severities.indexOf('medium') || jobs.some(view => !view.job.valid)) return 1;
	return 0;
}

/** One job as `status --json` prints it (SPEC section 7). */
export function statusJob(view: JobView) {
	const {job, assessment, sample} = view;
	return {
		job_id: job.jobId,
		dir: job.dir,
		status: job.valid ? job.status : null,
		role: job.valid ? job.role : null,
		pid: job.valid ? job.pid : null,
		severity: job.valid ? view.severity : null,
		silence_s: assessment ? Math.round(assessment.silenceMs / 1000) : null,
		cpu_percent: sample && !sample.lost ? Math.round(sample.cpuPercent * 10) / 10 : null,
		rss_bytes: sample && !sample.lost ? sample.rssBytes : null,
		valid: job.valid,
		error: job.valid ? null : job.error,
		evidence: assessment?.evidence ?? [],
		// What its processes are doing (SPEC section 12): null for an invalid job, or one not monitored.
		diagnosis: assessment?.diagnosis ?? null,
	};
}

const order = (severity: Severity | null): number => (severity === null ? severities.length : severities.indexOf(severity));

/** The whole `status --json` document, worst jobs first. */
export function statusDocument(snapshot: Snapshot) {
	const jobs = snapshot.jobs.map(statusJob).sort((a, b) => order(b.severity) - order(a.severity) || compareText(a.job_id, b.job_id));
	return {generated_at: new Date(snapshot.generatedAt).toISOString(), jobs_dir: snapshot.jobsDir, jobs};
}
