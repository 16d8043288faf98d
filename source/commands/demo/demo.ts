import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {manifestName} from '../../jobs/job-layout.js';
import {loadConfig, type Config} from '../../config/load-config.js';
import {demoCommand, demoJobs} from './jobs/index.js';
import {programPath} from '../../runtime/program-path.js';
import {startEngine} from '../start-engine.js';
import {StateStore, stateFile} from '../../sentinel/act/state-store.js';
import {killGroup} from '../../runtime/kill-group.js';

/**
 * Timeouts scaled down so that every severity and every action shows within 90 seconds, and
 * every diagnosis (a loop, a prompt, a socket, a broken rhythm) within two minutes:
 * jobs are recovered three times and terminated on their fourth hang, and the paused worker
 * climbs to critical and stays there.
 */
const demoFlags = {
	interval: '1s',
	workerTimeout: '12s',
	supervisorTimeout: '8s',
	criticalTimeout: '30s',
	memoryLimit: '320MB',
	cpuSamples: '3',
	grace: '3s',
	// Eight jobs that hang, notified and recovered at each hang, then terminated: room for all of it.
	maxInterventions: '80',
};

const retries: Record<string, number> = {'silent-worker': 5, 'term-ignoring-tree': 0};

/** A Logist job whose worker vanished two hours ago without a word: critical at first sight. */
function writeStaleJob(jobsDir: string): void {
	const dir = path.join(jobsDir, 'vanished-worker');
	fs.mkdirSync(dir, {recursive: true});
	const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
	const manifest = {
		job_id: 'vanished-worker',
		description: 'a Logist job whose worker vanished two hours ago: critical, terminated without a signal',
		status: 'RUNNING',
		current_phase: 'implementation',
		history: [{event: 'JOB_STARTED', timestamp: twoHoursAgo.toISOString()}],
	};
	fs.writeFileSync(path.join(dir, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
	fs.utimesSync(path.join(dir, manifestName), twoHoursAgo, twoHoursAgo);
}

function writeBrokenJob(jobsDir: string): void {
	const dir = path.join(jobsDir, 'broken-manifest');
	fs.mkdirSync(dir, {recursive: true});
	fs.writeFileSync(path.join(dir, manifestName), '{"job_id": "broken-manifest", "status": "RUNNING", "pid": ');
}

/** A local TCP server that takes connections and never answers: what socket-waiter waits on. */
async function startSilentServer(): Promise<{port: number; close: () => void}> {
	const connections = new Set<net.Socket>();
	const server = net.createServer(socket => {
		connections.add(socket);
		socket.on('close', () => connections.delete(socket));
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	server.unref();
	const close = () => {
		for (const socket of connections) socket.destroy();
		server.close();
	};
	return {port: (server.address() as net.AddressInfo).port, close};
}

/** Start every demo job through `sentinel-tui run`; the run processes' pids and the prompts' pipes. */
function startJobs(jobsDir: string, serverPort: number): {runPids: number[]; prompts: Array<{destroy: () => void}>} {
	const prompts: Array<{destroy: () => void}> = [];
	const runPids = demoJobs.map(job => {
		const args = [programPath(), 'run', '--jobs-dir', jobsDir, '--id', job.id, '--role', job.role, '--retries', String(retries[job.id] ?? 3), '--', ...demoCommand(job, serverPort)];
		// A prompted job's standard input is a pipe this process holds and never writes.
		const stdio: StdioOptions = [job.prompted ? 'pipe' : 'ignore', 'ignore', 'ignore'];
		const child: ChildProcess = spawn(process.execPath, args, {detached: true, stdio, env: {...process.env, DEMO_JOB_LIFETIME: '1800'}});
		if (child.stdin) {
			// Held, never written, and no reason for this process to stay alive.
			(child.stdin as net.Socket).unref();
			prompts.push(child.stdin);
		}
		child.unref();
		return child.pid ?? 0;
	});
	return {runPids, prompts};
}

/** Every process a demo job runs: the `run` wrappers and their commands' process groups. */
function stopJobs(jobsDir: string, runPids: number[]): void {
	const groups = new Set<number>(runPids);
	for (const name of fs.readdirSync(jobsDir)) {
		try {
			const manifest = JSON.parse(fs.readFileSync(path.join(jobsDir, name, manifestName), 'utf8')) as {process_id?: unknown};
			if (typeof manifest.process_id === 'number' && manifest.process_id > 1) groups.add(manifest.process_id);
		} catch {}
	}
	// Only groups this demo started: each `run` and each command run leads its own group.
	for (const pid of groups) killGroup(pid);
}

/** `demo`: real misbehaving jobs in a temporary jobs directory, opened in the dashboard. */
export async function runDemo(base: Config, options: {ascii: boolean}): Promise<number> {
	const jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-demo-'));
	const config: Config = {...loadConfig({flags: {...demoFlags, jobsDir}}), ascii: base.ascii, onIntervention: base.onIntervention, webhook: base.webhook};
	const pauses = new StateStore(stateFile(jobsDir));
	await pauses.setPaused('paused-worker', true);
	writeStaleJob(jobsDir);
	writeBrokenJob(jobsDir);
	const server = await startSilentServer();
	const {runPids, prompts} = startJobs(jobsDir, server.port);
	const cleanUp = () => {
		stopJobs(jobsDir, runPids);
		for (const prompt of prompts) prompt.destroy();
		server.close();
		fs.rmSync(jobsDir, {recursive: true, force: true});
	};
	process.once('exit', cleanUp);
	const engine = startEngine(config);
	let end = 'quit';
	try {
		if (process.stdout.isTTY && process.stdin.isTTY) {
			void engine.start();
			const {runDashboard} = await import('../dashboard.js');
			end = await runDashboard(engine, {ascii: options.ascii});
		} else {
			const {runHeadless} = await import('../headless/headless.js');
			await runHeadless(engine, process.stdout, 'demo');
		}
	} finally {
		await engine.stop();
		cleanUp();
		process.off('exit', cleanUp);
	}
	// See cli.tsx: after an SSH drop, die by the signal once everything is cleaned up.
	if (end === 'SIGHUP') process.kill(process.pid, 'SIGHUP');
	return 0;
}
