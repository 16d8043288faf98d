import {Gauge, type Registry} from 'prom-client';
import type {JobView, Snapshot} from '../sentinel/snapshot.js';
import {cadencePhi, diagnosisKind, severityValue} from './job-readings.js';
import {labelValue} from './label-value.js';

/**
 * The per-job gauges of SPEC section 14, set afresh from a snapshot at each scrape: a job that
 * is gone leaves no series behind. Base units, no per-pid labels.
 */
export class JobMetrics {
	private readonly severity: Gauge<'job_id' | 'role'>;
	private readonly silence: Gauge<'job_id'>;
	private readonly lastActivity: Gauge<'job_id'>;
	private readonly cpu: Gauge<'job_id'>;
	private readonly memory: Gauge<'job_id'>;
	private readonly cadence: Gauge<'job_id'>;
	private readonly info: Gauge<'job_id' | 'status' | 'role' | 'diagnosis'>;

	constructor(registry: Registry) {
		const registers = [registry];
		this.severity = new Gauge({name: 'sentinel_job_severity', help: "The job's severity: 0 ok, 1 low, 2 medium, 3 high, 4 critical; -1 invalid", labelNames: ['job_id', 'role'], registers});
		this.silence = new Gauge({name: 'sentinel_job_silence_seconds', help: 'Time since the job last showed activity', labelNames: ['job_id'], registers});
		this.lastActivity = new Gauge({name: 'sentinel_job_last_activity_timestamp_seconds', help: "The job's last activity, Unix time", labelNames: ['job_id'], registers});
		this.cpu = new Gauge({name: 'sentinel_job_cpu_ratio', help: "CPU used by the job's process tree; 1 is one core", labelNames: ['job_id'], registers});
		this.memory = new Gauge({name: 'sentinel_job_memory_bytes', help: "RSS summed over the job's process tree", labelNames: ['job_id'], registers});
		this.cadence = new Gauge({name: 'sentinel_job_cadence_phi', help: "Suspicion that the job is silent beyond its own rhythm (phi; 0 until it has one)", labelNames: ['job_id'], registers});
		this.info = new Gauge({name: 'sentinel_job_info', help: "The job's status, role and diagnosis, as labels (always 1)", labelNames: ['job_id', 'status', 'role', 'diagnosis'], registers});
	}

	update(snapshot: Snapshot): void {
		for (const gauge of [this.severity, this.silence, this.lastActivity, this.cpu, this.memory, this.cadence, this.info]) gauge.reset();
		for (const [jobId, view] of worstById(snapshot.jobs)) this.set(jobId, view);
	}

	private set(jobId: string, view: JobView): void {
		const {job} = view;
		const id = {job_id: jobId};
		const role = job.valid ? job.role : '';
		this.severity.set({job_id: jobId, role}, severityValue(view));
		this.info.set({job_id: jobId, status: job.valid ? labelValue(job.status) : '', role, diagnosis: labelValue(diagnosisKind(view))}, 1);
		if (!job.valid) return;
		if (view.assessment) this.silence.set(id, view.assessment.silenceMs / 1000);
		if (view.lastActivityMs !== null) this.lastActivity.set(id, view.lastActivityMs / 1000);
		this.cadence.set(id, cadencePhi(view));
		// A job without a process (none named, or not sampled yet) has no CPU or memory to show.
		if (view.sample) {
			this.cpu.set(id, view.sample.cpuPercent / 100);
			this.memory.set(id, view.sample.rssBytes);
		}
	}
}

/**
 * One job a job id, by its label: two folders can claim one `job_id` (a copied manifest, or ids
 * that differ only in what sanitising removes), and the series of the worse is shown, so a
 * duplicate never hides a job in trouble.
 */
function worstById(views: readonly JobView[]): Map<string, JobView> {
	const chosen = new Map<string, JobView>();
	for (const view of views) {
		const jobId = labelValue(view.job.jobId);
		const held = chosen.get(jobId);
		if (!held || severityValue(view) > severityValue(held)) chosen.set(jobId, view);
	}
	return chosen;
}
