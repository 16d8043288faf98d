import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {describe, expect, onTestFinished, test} from 'vitest';
import {pendingHooks, runHooks} from '../../../source/sentinel/act/notify-hooks.js';
import {makeTempDir} from '../../helpers/temp-dir.js';
import {waitFor} from '../../helpers/processes.js';
import {shellQuote} from '../../helpers/shell.js';

const event = {
	ts: '2025-03-01T12:00:00.000Z',
	type: 'intervention',
	job_id: 'job-7',
	dir: '/srv/jobs/job-7',
	action: 'terminate',
	severity: 'critical',
	result: 'ok',
	reason: "silent for 1h; it's stuck",
};

type Received = {method: string; type: string; body: string};

async function startServer(answer: boolean, status = 200): Promise<{url: string; received: Received[]}> {
	const received: Received[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			received.push({method: request.method ?? '', type: request.headers['content-type'] ?? '', body});
			if (answer) response.writeHead(status).end('thanks');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(() => {
		server.closeAllConnections();
		server.close();
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received};
}

// A killed process whose parent is gone may linger as a zombie until reaped: that counts as gone.
function isGone(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

describe('runHooks', () => {
	test('the webhook receives the event JSON as a POST', async () => {
		const {url, received} = await startServer(true);
		const results = await runHooks(event, {command: null, webhook: url});
		expect(results).toEqual([expect.objectContaining({hook: 'webhook', ok: true, message: 'HTTP 200'})]);
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({method: 'POST', type: 'application/json'});
		expect(JSON.parse(received[0]!.body)).toEqual(event);
	});

	test('a webhook that answers with an error status is a failure', async () => {
		const {url} = await startServer(true, 503);
		const [result] = await runHooks(event, {command: null, webhook: url});
		expect(result).toMatchObject({ok: false, message: 'HTTP 503'});
	});

	test('the command gets the event on stdin and in SENTINEL_* variables', async () => {
		const dir = makeTempDir();
		const stdinFile = path.join(dir, 'stdin.json');
		const envFile = path.join(dir, 'env.json');
		const command = `cat > ${shellQuote(stdinFile)}; node -e 'console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("SENTINEL_")))))' > ${shellQuote(envFile)}`;
		const results = await runHooks(event, {command, webhook: null});
		expect(results).toEqual([expect.objectContaining({hook: 'command', ok: true})]);
		expect(JSON.parse(fs.readFileSync(stdinFile, 'utf8'))).toEqual(event);
		const env = JSON.parse(fs.readFileSync(envFile, 'utf8')) as Record<string, string>;
		expect(env).toMatchObject({
			SENTINEL_JOB_ID: 'job-7',
			SENTINEL_ACTION: 'terminate',
			SENTINEL_SEVERITY: 'critical',
			SENTINEL_RESULT: 'ok',
			SENTINEL_REASON: "silent for 1h; it's stuck",
			SENTINEL_JOB_DIR: '/srv/jobs/job-7',
		});
		expect(JSON.parse(env['SENTINEL_EVENT']!)).toEqual(event);
	});

	test('a failing command is reported with its exit code and stderr', async () => {
		const [result] = await runHooks(event, {command: 'echo "no route to pager" >&2; exit 3', webhook: null});
		expect(result).toMatchObject({hook: 'command', ok: false, message: 'exit code 3: no route to pager'});
	});

	test('what a failing command wrote to stderr is in its message though it exits at once, with other hooks running', async () => {
		// Its exit may be seen before the pipe's last bytes are read: many at once made that the rule.
		for (let round = 0; round < 5; round++) {
			const results = await Promise.all(Array.from({length: 20}, (_, index) => runHooks(event, {command: `echo "pager ${index} down" >&2; exit 3`, webhook: null})));
			expect(results.map(([result]) => result!.message)).toEqual(Array.from({length: 20}, (_, index) => `exit code 3: pager ${index} down`));
		}
	});

	test('a command that never ends is killed after its limit, with what it started', async () => {
		const dir = makeTempDir();
		const pidFile = path.join(dir, 'child.pid');
		let childPid = 0;
		onTestFinished(() => {
			if (childPid && !isGone(childPid)) process.kill(childPid, 'SIGKILL');
		});
		const started = Date.now();
		const running = runHooks(event, {command: `sleep 300 & echo $! > ${shellQuote(pidFile)}; wait`, webhook: null, commandTimeoutMs: 400});
		expect(await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 5000, 10)).toBe(true);
		childPid = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(isGone(childPid)).toBe(false);
		const [result] = await running;
		expect(result).toMatchObject({ok: false, message: 'killed after 400 ms'});
		// Loose: only the 10 s default limit in place of the one given fails it.
		expect(Date.now() - started).toBeLessThan(8000);
		expect(await waitFor(() => isGone(childPid), 3000, 10)).toBe(true);
	});

	test('a webhook that never answers times out; an unreachable one fails; neither throws', async () => {
		const {url, received} = await startServer(false);
		const started = Date.now();
		const [silent] = await runHooks(event, {command: null, webhook: url, webhookTimeoutMs: 300});
		expect(silent).toMatchObject({hook: 'webhook', ok: false, message: 'no answer within 300 ms'});
		// Loose: only the 5 s default limit in place of the one given fails it.
		expect(Date.now() - started).toBeLessThan(4500);
		expect(received).toHaveLength(1);

		const closed = http.createServer();
		await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise(resolve => closed.close(resolve));
		const [refused] = await runHooks(event, {command: null, webhook: `http://127.0.0.1:${port}/`});
		expect(refused).toMatchObject({hook: 'webhook', ok: false});
		expect(refused!.message).toMatch(/ECONNREFUSED/);
	});

	test('both hooks run side by side, and pendingHooks waits for them', async () => {
		const {url, received} = await startServer(true);
		const dir = makeTempDir();
		const done = path.join(dir, 'done');
		void runHooks(event, {command: `sleep 0.3; touch ${shellQuote(done)}`, webhook: url});
		expect(await runHooks({}, {command: null, webhook: null})).toEqual([]);
		expect(fs.existsSync(done)).toBe(false);
		await pendingHooks();
		expect(fs.existsSync(done)).toBe(true);
		expect(received).toHaveLength(1);
	});
});
