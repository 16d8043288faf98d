import type {HostState} from './fleet-hosts.js';
import {queryPrometheus, type RangeSeries} from './prometheus-api.js';

/** How far back the detail view's sparklines reach. */
export const historySpanMs = 5 * 60_000;

/** One job's CPU percent and RSS bytes over the last five minutes, oldest first. */
export type JobHistory = {cpuHistory: number[]; rssHistory: number[]};

/**
 * One job's history from a range query, at the refresh interval's step (at least a second). The
 * labels go into the selector as PromQL strings (JSON's escapes are PromQL's), so any label is safe here.
 */
export async function readHistory(prometheus: string, host: HostState, jobId: string, nowMs: number, intervalMs: number, signal?: AbortSignal): Promise<JobHistory> {
	const selector = `{__name__=~"sentinel_job_cpu_ratio|sentinel_job_memory_bytes",instance=${JSON.stringify(host.instance)},job_id=${JSON.stringify(jobId)}}`;
	const series = await queryPrometheus<RangeSeries>(prometheus, 'api/v1/query_range', {
		query: selector,
		start: ((nowMs - historySpanMs) / 1000).toFixed(3),
		end: (nowMs / 1000).toFixed(3),
		step: `${Math.max(1, Math.round(intervalMs / 1000))}s`,
	}, {signal});
	const values = (name: string, scale: number) => series.find(one => one.metric['__name__'] === name)?.values.map(([, value]) => Number(value) * scale) ?? [];
	return {cpuHistory: values('sentinel_job_cpu_ratio', 100), rssHistory: values('sentinel_job_memory_bytes', 1)};
}
