import type {Registry} from 'prom-client';
import type {JobView, Snapshot} from '../sentinel/snapshot.js';
import {cadencePhi, diagnosisKind, severityValue} from './job-readings.js';
import {labelValue} from './label-value.js';
import {SnapshotGauge, type Series} from './snapshot-gauge.js';

type Id = 'job_id';

/**
 * The per-job gauges of SPEC section 14, made afresh from a snapshot at each scrape: a job that
 * is gone leaves no series behind. Base units, no per-pid labels.
 */
export class JobMetrics {
	private readonly severity: SnapshotGauge<Id | 'role'>;
	private readonly silence: SnapshotGauge<Id>;
	private readonly lastActivity: SnapshotGauge<Id>;
	private readonly cpu: SnapshotGauge<Id>;
	private readonly memory: SnapshotGauge<Id>;
	private readonly cadence: SnapshotGauge<Id>;
	private readonly info: SnapshotGauge<Id | 'status' | 'role' | 'diagnosis'>;

	constructor(registry: Registry) {
		const registers = [registry];
		this.severity = new SnapshotGauge({name: 'sentinel_job_severity', help: "The job's severity: 0 ok, 1 low, 2 medium, 3 high, 4 critical; -1 invalid", labelNames: ['job_id', 'role'], registers});
		this.silence = new SnapshotGauge({name: 'sentinel_job_silence_seconds', help: 'Time since the job last showed activity', labelNames: ['job_id'], registers});
		this.lastActivity = new SnapshotGauge({name: 'sentinel_job_last_activity_timestamp_seconds', help: "The job's last activity, Unix time", labelNames: ['job_id'], registers});
		this.cpu = new SnapshotGauge({name: 'sentinel_job_cpu_ratio', help: "CPU used by the job's process tree; 1 is one core", labelNames: ['job_id'], registers});
		this.memory = new SnapshotGauge({name: 'sentinel_job_memory_bytes', help: "RSS summed over the job's process tree", labelNames: ['job_id'], registers});
		this.cadence = new SnapshotGauge({name: 'sentinel_job_cadence_phi', help: 'Suspicion that the job is silent beyond its own rhythm (phi; 0 until it has one)', labelNames: ['job_id'], registers});
		this.info = new SnapshotGauge({name: 'sentinel_job_info', help: "The job's status, role and diagnosis, as labels (always 1)", labelNames: ['job_id', 'status', 'role', 'diagnosis'], registers});
	}

	update(snapshot: Snapshot): void {
		const severity: Array<Series<Id | 'role'>> = [];
		const info: Array<Series<Id | 'status' | 'role' | 'diagnosis'>> = [];
		const silence: Array<Series<Id>> = [];
		const lastActivity: Array<Series<Id>> = [];
		const cpu: Array<Series<Id>> = [];
		const memory: Array<Series<Id>> = [];
		const cadence: Array<Series<Id>> = [];
		for (const [jobId, view] of worstById(snapshot.jobs)) {
			const {job} = view;
			const id = {job_id: jobId};
			const role = job.valid ? job.role : '';
			severity.push({labels: {job_id: jobId, role}, value: severityValue(view)});
			info.push({labels: {job_id: jobId, status: job.valid ? labelValue(job.status) : '', role, diagnosis: labelValue(diagnosisKind(view))}, value: 1});
			if (!job.valid) continue;
			if (view.assessment) silence.push({labels: id, value: view.assessment.silenceMs / 1000});
			if (view.lastActivityMs !== null) lastActivity.push({labels: id, value: view.lastActivityMs / 1000});
			cadence.push({labels: id, value: cadencePhi(view)});
			// A job without a process (none named, or not sampled yet) has no CPU or memory to show.
			if (view.sample) {
				cpu.push({labels: id, value: view.sample.cpuPercent / 100});
				memory.push({labels: id, value: view.sample.rssBytes});
			}
		}
		this.severity.replace(severity);
		this.info.replace(info);
		this.silence.replace(silence);
		this.lastActivity.replace(lastActivity);
		this.cpu.replace(cpu);
		this.memory.replace(memory);
		this.cadence.replace(cadence);
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
