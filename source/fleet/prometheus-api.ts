import http from 'node:http';
import https from 'node:https';

/** How long one query may take before it counts as failed (SPEC section 14's "slow"). */
export const queryTimeoutMs = 5000;

/** The most of an answer read: 1,000 jobs' series are some 2 MB. */
const maxAnswerBytes = 64 * 1024 * 1024;

/** One series of an instant query: its labels and its value. */
export type InstantSample = {metric: Record<string, string>; value: [number, string]};
/** One series of a range query: its labels and its values, oldest first. */
export type RangeSeries = {metric: Record<string, string>; values: Array<[number, string]>};

/** A query that failed, said in words for the header. */
export class PrometheusError extends Error {}

/**
 * GET `<base><path>?<params>` from Prometheus's HTTP API and give `data.result`. With node's
 * http, not fetch: fetch loads undici and web streams, which the dashboard's start never needs.
 * Rejects with a PrometheusError for no answer, an answer past 5 s, an HTTP error or `status: "error"`,
 * and when `signal` aborts (the fleet view stops: it never waits out a slow query).
 */
export function queryPrometheus<T>(base: string, path: string, params: Record<string, string>, options: {timeoutMs?: number; signal?: AbortSignal} = {}): Promise<T[]> {
	const {timeoutMs = queryTimeoutMs, signal} = options;
	const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
	for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
	const client = url.protocol === 'https:' ? https : http;
	return new Promise<T[]>((resolve, reject) => {
		const fail = (why: string) => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', left);
			request.destroy();
			reject(new PrometheusError(why));
		};
		const request = client.get(url, {headers: {accept: 'application/json'}}, response => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxAnswerBytes) fail(`answered more than ${maxAnswerBytes / 1024 / 1024} MB`);
				else chunks.push(chunk);
			});
			response.on('error', error => fail(`cut its answer short (${error.message})`));
			response.on('end', () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', left);
				const status = response.statusCode ?? 0;
				let body: {status?: string; error?: string; data?: {result?: T[]}};
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
				} catch {
					reject(new PrometheusError(status >= 400 ? `answered HTTP ${status}` : 'answered something that is not JSON'));
					return;
				}
				if (body.status !== 'success' || status >= 400) reject(new PrometheusError(`answered ${status >= 400 ? `HTTP ${status}: ` : ''}${body.error ?? 'an error'}`));
				else if (!Array.isArray(body.data?.result)) reject(new PrometheusError('answered without a result'));
				else resolve(body.data.result);
			});
		});
		request.on('error', (error: NodeJS.ErrnoException) => fail(`is unreachable (${error.code ?? error.message})`));
		const timer = setTimeout(() => fail(`did not answer within ${timeoutMs / 1000} s`), timeoutMs);
		const left = () => fail('was not waited for: the fleet view stopped');
		if (signal?.aborted) left();
		else signal?.addEventListener('abort', left, {once: true});
	});
}
