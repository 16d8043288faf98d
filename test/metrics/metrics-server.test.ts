// `--metrics` on the real binary: bound before anything starts (a port in use or a bad address is
// one line and exit 2), GET /metrics alone, and bounded against scrapers that misbehave.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {parseTcp} from '../../source/sentinel/observe/proc-tables.js';
import {parseExposition, scrape, valueOf} from '../helpers/metrics.js';
import {waitFor} from '../helpers/processes.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

/** A port held by a server of the test's own, closed when the test ends. */
async function busyPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(() => new Promise<void>(resolve => server.close(() => resolve())));
	return (server.address() as net.AddressInfo).port;
}

/** A raw TCP connection, destroyed when the test ends; `closed` says whether the server dropped it. */
async function connect(port: number): Promise<{socket: net.Socket; closed: () => boolean}> {
	const socket = net.connect(port, '127.0.0.1');
	let closed = false;
	socket.on('error', () => {});
	socket.on('close', () => (closed = true));
	onTestFinished(() => void socket.destroy());
	await new Promise<void>(resolve => {
		socket.once('connect', resolve);
		socket.once('close', () => resolve());
	});
	return {socket, closed: () => closed};
}

/** The TCP address `pid` listens on, found by its socket descriptors in /proc/net/tcp and tcp6. */
function listeningAddress(pid: number): string | undefined {
	const table = (name: string) => (fs.existsSync(`/proc/net/${name}`) ? fs.readFileSync(`/proc/net/${name}`, 'utf8') : '');
	const sockets = parseTcp(table('tcp6'), parseTcp(table('tcp')));
	for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
		let link = '';
		try {
			link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
		} catch {} // closed meanwhile
		const socket = sockets.get(Number(/^socket:\[(\d+)\]$/.exec(link)?.[1]));
		if (socket?.listening) return socket.local;
	}
	return undefined;
}

/** A headless sentinel with --metrics on any free loopback port; its address once started. */
async function headlessWithMetrics(jobsDir: string, args: string[] = []) {
	const sentinel = startSentinel(jobsDir, ['--no-auto', '--metrics', '127.0.0.1:0', ...args]);
	const started = await sentinel.waitForLine(line => line.type === 'sentinel.started');
	const address = started['metrics'] as string;
	expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
	return {sentinel, address, port: Number(address.split(':')[1])};
}

describe('--metrics is bound before anything starts', () => {
	it('a port in use: one line naming it, exit 2, no JSON line and nothing made in the jobs directory', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		const port = await busyPort();
		const result = await runCli(['--headless', jobsDir, '--metrics', `127.0.0.1:${port}`]);
		expect(result).toMatchObject({code: 2, stdout: '', stderr: `sentinel-tui: --metrics 127.0.0.1:${port}: the port is in use\n`});
		expect(fs.readdirSync(jobsDir)).toEqual(['calm']);
	});

	it('a bad address, as a flag, an environment variable or a config key: one line, exit 2', async () => {
		const jobsDir = makeTempDir();
		const config = path.join(makeTempDir(), 'config.json');
		fs.writeFileSync(config, JSON.stringify({metrics: 'port-nine'}));
		const cases: Array<[args: string[], env: Record<string, string>, says: RegExp]> = [
			[['--metrics', 'nine'], {}, /^--metrics: "nine" is not \[HOST:\]PORT/],
			[['--metrics', '70000'], {}, /^--metrics: "70000" port 70000 is above 65535$/],
			[['--metrics', '192.0.2.1:9742'], {}, /^--metrics 192\.0\.2\.1:9742: no such address on this host$/],
			[['--metrics', 'no-such-host.invalid:9742'], {}, /^--metrics no-such-host\.invalid:9742: unknown host$/],
			[[], {SENTINEL_METRICS: ':9742'}, /^--metrics: ":9742" is not \[HOST:\]PORT/],
			[['--config', config], {}, /^--metrics: "port-nine" is not \[HOST:\]PORT/],
		];
		const results = await Promise.all(cases.map(([args, env]) => runCli(['--headless', jobsDir, ...args], {env: {...process.env, ...env}})));
		for (const [index, [args, env, says]] of cases.entries()) {
			const result = results[index]!;
			const what = JSON.stringify({args, env});
			expect(result.code, what).toBe(2);
			expect(result.stdout, what).toBe('');
			expect(result.stderr, what).toMatch(/^sentinel-tui: [^\n]+\n$/);
			expect(result.stderr.slice('sentinel-tui: '.length, -1), what).toMatch(says);
		}
		expect(fs.readdirSync(jobsDir)).toEqual([]);
	});

	it('the dashboard on a port in use: one line, exit 2, the screen left as it was', {timeout: 30_000}, async () => {
		const port = await busyPort();
		const pane = await openShell(160, 20);
		const dashboard = runInShell(pane, [process.execPath, cliPath, makeTempDir(), '--metrics', String(port)]);
		expect(await dashboard.exitCode()).toBe(2);
		expect(dashboard.output()).toEqual([`sentinel-tui: --metrics 127.0.0.1:${port}: the port is in use`]);
		expect(pane.display('#{alternate_on}')).toBe('0');
	});

	it('status checks once and serves nothing: --metrics is left aside', async () => {
		const port = await busyPort();
		const result = await runCli(['status', makeTempDir(), '--metrics', String(port)]);
		expect({code: result.code, stderr: result.stderr}).toEqual({code: 0, stderr: ''});
	});
});

describe('serving /metrics', () => {
	it('answers GET and HEAD /metrics alone, and stops listening when the sentinel stops', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		const {sentinel, address} = await headlessWithMetrics(jobsDir);
		await sentinel.waitForLine(line => line.type === 'assessment');

		const metrics = await scrape(address);
		expect(metrics.status).toBe(200);
		expect(valueOf(parseExposition(metrics.text), 'sentinel_job_severity', {job_id: 'calm', role: 'worker'})).toBe(0);
		const head = await fetch(`http://${address}/metrics`, {method: 'HEAD'});
		expect({status: head.status, body: await head.text(), length: Number(head.headers.get('content-length'))}).toMatchObject({status: 200, body: ''});
		expect((await fetch(`http://${address}/`)).status).toBe(404);
		expect((await fetch(`http://${address}/metrics/../etc`)).status).toBe(404);
		const post = await fetch(`http://${address}/metrics`, {method: 'POST', body: 'x'});
		expect({status: post.status, allow: post.headers.get('allow')}).toEqual({status: 405, allow: 'GET, HEAD'});

		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
		await expect(fetch(`http://${address}/metrics`)).rejects.toThrow();
	});

	it('the dashboard serves it too, while it runs', {timeout: 40_000}, async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'PENDING'});
		const pane = await openShell(120, 30);
		const dashboard = runInShell(pane, [process.execPath, cliPath, jobsDir, '--no-auto', '--metrics', 'localhost:0']);
		await pane.waitFor('the dashboard with its job', screen => pane.display('#{alternate_on}') === '1' && screen.some(row => row.includes('calm')), {timeoutMs: 20_000});
		// Bound before the screen shows (the port the OS gave it: one found free beforehand could be taken meanwhile).
		const address = listeningAddress(await dashboard.pid());
		expect(address).toMatch(/^(127\.0\.0\.1|\[::1\]):\d+$/);
		const metrics = await scrape(address!);
		expect(metrics.status).toBe(200);
		expect(valueOf(parseExposition(metrics.text), 'sentinel_job_info', {job_id: 'calm', status: 'PENDING'})).toBe(1);
		pane.press('q');
		expect(await dashboard.exitCode()).toBe(0);
		await expect(fetch(`http://${address}/metrics`)).rejects.toThrow();
	});

	it('scrapers that never read, or open hundreds of connections, are dropped and never stall the engine', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'first', {job_id: 'first', status: 'PENDING'});
		const {sentinel, address, port} = await headlessWithMetrics(jobsDir, ['--interval', '200ms']);
		await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'first');
		const ticksBefore = valueOf(parseExposition((await scrape(address)).text), 'sentinel_tick_seconds_count');

		// Silent connections, and connections that ask and never read their answer.
		const silent = await Promise.all(Array.from({length: 300}, () => connect(port)));
		const deaf = await Promise.all(Array.from({length: 5}, () => connect(port)));
		for (const {socket} of deaf) {
			socket.pause();
			socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
		}
		// The engine goes on meanwhile: a job written now is found and assessed.
		writeJob(jobsDir, 'second', {job_id: 'second', status: 'PENDING'});
		await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'second', 15_000);
		// Past the bound, connections are refused at once; the rest are dropped when they time out.
		const all = [...silent, ...deaf];
		expect(await waitFor(() => all.filter(connection => !connection.closed()).length <= 32, 5000), 'connections past the bound dropped').toBe(true);
		expect(await waitFor(() => all.every(connection => connection.closed()), 30_000), 'every idle connection dropped').toBe(true);

		const after = await scrape(address);
		expect(after.status).toBe(200);
		expect(valueOf(parseExposition(after.text), 'sentinel_tick_seconds_count')).toBeGreaterThan(ticksBefore);
		expect(sentinel.stderr()).toBe('');
	});
});
