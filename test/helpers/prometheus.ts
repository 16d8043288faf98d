import type {ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {startProcess, waitFor} from './processes.js';
import {makeTempDir} from './temp-dir.js';

export type Vector = Array<{metric: Record<string, string>; value: [number, string]}>;
export type Matrix = Array<{metric: Record<string, string>; values: Array<[number, string]>}>;

/**
 * A sentinel's `HOST:PORT` to scrape; with `host`, its `sentinel_info` says that host, set by
 * Prometheus's own relabelling (as an operator names a machine whose hostname is not the name
 * ssh reaches it by), so sentinels on one machine can stand for several hosts.
 */
export type ScrapeTarget = string | {address: string; host: string};

/** A real Prometheus started by a test. */
export type PrometheusServer = {
	url: string;
	/** An instant query's result; throws on an error answer. */
	query: (expression: string) => Promise<Vector>;
	/** Every sample of `selector` stored in the last 10 minutes, as stored. */
	samples: (selector: string) => Promise<Matrix>;
	stderr: () => string;
	/** kill -9; resolves once it has exited. */
	kill: () => Promise<void>;
};

// One static config a target, each with its host as a target label that the relabelling copies
// into `sentinel_info`'s `host` and then drops, so no other series carries it.
function scrapeConfig(targets: readonly ScrapeTarget[]) {
	const named = targets.map(target => (typeof target === 'string' ? {address: target, host: undefined} : target));
	return {
		job_name: 'sentinel-tui',
		static_configs: named.map(({address, host}) => ({targets: [address], ...(host ? {labels: {sentinel_host: host}} : {})})),
		metric_relabel_configs: [
			{source_labels: ['__name__', 'sentinel_host'], regex: 'sentinel_info;(.+)', target_label: 'host', replacement: '$1'},
			{action: 'labeldrop', regex: 'sentinel_host'},
		],
	};
}

/**
 * Debian's Prometheus on a free loopback port, scraping `targets` every second, with storage of
 * its own and `rules` loaded; killed (its process group) when the test ends, pass or fail.
 */
export async function startPrometheus(targets: readonly ScrapeTarget[], options: {rules?: string[]} = {}): Promise<PrometheusServer> {
	const base = makeTempDir('sentinel-prometheus-');
	const config = path.join(base, 'prometheus.yml');
	fs.writeFileSync(
		config,
		JSON.stringify({
			global: {scrape_interval: '1s', evaluation_interval: '1s'},
			rule_files: options.rules ?? [],
			scrape_configs: [scrapeConfig(targets)],
		}),
	);
	// Port 0: the OS gives a free port and Prometheus says which. A port found free beforehand
	// (listen, close, hand it over) can be taken meanwhile by any of the suite's sentinels or
	// connections, and a Prometheus that cannot bind it never becomes ready.
	const args = [`--config.file=${config}`, `--storage.tsdb.path=${path.join(base, 'data')}`, '--web.listen-address=127.0.0.1:0', '--log.level=info'];
	const child: ChildProcess = startProcess('prometheus', args, {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	const listening = () => /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
	const ready = async () => {
		const address = listening();
		if (!address) return false;
		try {
			return (await fetch(`http://${address}/-/ready`)).status === 200;
		} catch {
			return false;
		}
	};
	if (!(await waitFor(ready, 20_000, 100))) throw new Error(`prometheus did not become ready: ${stderr.slice(-2000)}`);
	const url = `http://${listening()!}`;
	const get = async <T>(expression: string): Promise<T> => {
		const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
		const body = (await response.json()) as {status: string; data: {result: T}; error?: string};
		if (body.status !== 'success') throw new Error(`query ${expression}: ${body.error}`);
		return body.data.result;
	};
	const kill = async () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {}
		await exited;
	};
	// A range selector alone returns every sample scraped in the range, as stored.
	return {url, query: expression => get<Vector>(expression), samples: selector => get<Matrix>(`${selector}[10m]`), stderr: () => stderr, kill};
}
