// Prometheus and the sentinels it scrapes, for the fleet view's benchmark and screenshot: real
// headless sentinels with --metrics on loopback, and Debian's Prometheus scraping them every second.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import {killGroup, onCleanup} from './cleanup.js';
import {sentinelArgv, sentinelEnv} from './sentinel.js';
import {waitUntil} from './stats.js';

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * A headless sentinel on `jobsDir` (more flags in `args`) serving /metrics on a loopback port the
 * kernel picks, killed when the run ends; its `HOST:PORT` once it has started, and its pid.
 */
export async function startMetricsSentinel(jobsDir, home, args = []) {
	const child = spawn(process.execPath, sentinelArgv(['--headless', jobsDir, '--metrics', '127.0.0.1:0', ...args]), {env: sentinelEnv(home), stdio: ['ignore', 'pipe', 'ignore'], detached: true});
	onCleanup(`kill sentinel ${child.pid}`, () => killGroup(child.pid));
	const lines = readline.createInterface({input: child.stdout});
	return new Promise((resolve, reject) => {
		child.once('exit', code => reject(new Error(`a sentinel exited (${code}) before it started`)));
		lines.on('line', line => {
			const event = JSON.parse(line);
			if (event.type === 'sentinel.started') resolve({address: event.metrics, pid: child.pid});
		});
	});
}

/**
 * Debian's Prometheus on a free loopback port scraping `targets` ({address, host}) every second,
 * storing under `base`, killed when the run ends; its URL once ready. Each target's `host` becomes
 * its sentinel_info's host by relabelling, as deploy/prometheus/prometheus.yml shows.
 */
export async function startPrometheus(targets, base) {
	const config = path.join(base, 'prometheus.yml');
	fs.writeFileSync(
		config,
		JSON.stringify({
			global: {scrape_interval: '1s'},
			scrape_configs: [
				{
					job_name: 'sentinel-tui',
					static_configs: targets.map(({address, host}) => ({targets: [address], labels: {sentinel_host: host}})),
					// Each sentinel's sentinel_info says its own host, as one per machine would.
					metric_relabel_configs: [
						{source_labels: ['__name__', 'sentinel_host'], regex: 'sentinel_info;(.+)', target_label: 'host', replacement: '$1'},
						{action: 'labeldrop', regex: 'sentinel_host'},
					],
				},
			],
		}),
	);
	const url = `http://127.0.0.1:${await freePort()}`;
	const args = [`--config.file=${config}`, `--storage.tsdb.path=${path.join(base, 'prometheus-data')}`, `--web.listen-address=${url.slice('http://'.length)}`, '--log.level=warn'];
	const child = spawn('prometheus', args, {stdio: 'ignore', detached: true});
	onCleanup(`kill prometheus ${child.pid}`, () => killGroup(child.pid));
	const ready = async () => {
		try {
			return (await fetch(`${url}/-/ready`)).status === 200;
		} catch {
			return false;
		}
	};
	if (!(await waitUntil(ready, 30_000, 100))) throw new Error('prometheus did not become ready within 30 s');
	return url;
}

/** The one value of an instant query, or null when it has not exactly one. */
export async function queryOne(url, expression) {
	const body = await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`)).json();
	return body.data?.result?.length === 1 ? Number(body.data.result[0].value[1]) : null;
}
