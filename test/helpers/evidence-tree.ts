import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {onTestFinished} from 'vitest';
import {confirmationFor} from '../../source/sentinel/act/manual-action.js';
import type {EvidenceRecord} from '../../source/sentinel/act/evidence/evidence-record.js';
import type {Engine} from '../../source/sentinel/engine.js';
import {descendantsOf, readProcess, scanProcesses} from '../../source/sentinel/observe/process-table.js';
import type {AuditEntry} from '../../source/types.js';
import {startProcess, waitFor} from './processes.js';
import {readAudit} from './sentinel-process.js';

/** Secrets planted on the tree's command lines, each of a shape the evidence must hide. */
export const plantedSecrets = {
	token: 'tok-value-1f2e3d4c',
	apiKey: 'apikey-value-9a8b7c6d',
	password: 'hunter2-value-5e6f',
	openai: 'sk-proj-Abcdefgh12345678',
	github: 'ghp_AbCdEfGhIjKlMnOpQrStUvWx0123',
	slack: 'xoxb-1234567890-abcdefghij',
	aws: 'AKIAIOSFODNN7EXAMPLE',
};

/** A TCP server on 127.0.0.1 that accepts and never answers; closed when the test ends. */
export async function silentServer(): Promise<number> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => sockets.add(socket));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(() => {
		for (const socket of sockets) socket.destroy();
		server.close();
	});
	return (server.address() as net.AddressInfo).port;
}

export type EvidenceTree = {root: number; members: number[]; catPid: number; socketPid: number};

/**
 * A real job tree: a shell (the root, `--token` on its command line) with a `sleep | cat` pipe
 * (cat blocked reading the pipe), a child shell carrying `--api-key=` and `PASSWORD=`, a node
 * process blocked reading a socket to `port` (key shapes on its command line), and 250 lines of
 * output in `<dir>/logs/output.log`. Resolves once every process is in place and blocked.
 */
export async function startEvidenceTree(dir: string, port: number): Promise<EvidenceTree> {
	const s = plantedSecrets;
	fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
	const lines = Array.from({length: 250}, (_, index) => `line ${index + 1}${index === 240 ? ` using key ${s.openai}` : ''}`);
	fs.writeFileSync(path.join(dir, 'logs', 'output.log'), `${lines.join('\n')}\n`);
	const client = `const s = require('net').connect(${port}, '127.0.0.1'); s.on('data', () => {});`;
	const script = [
		'sleep 600 | cat &',
		`sh -c 'sleep 600; :' child --api-key=${s.apiKey} PASSWORD=${s.password} &`,
		`"${process.execPath}" -e "${client}" ${s.openai} ${s.github} ${s.slack} ${s.aws} &`,
		'wait',
	].join('\n');
	const root = startProcess('sh', ['-c', script, 'job-root', '--token', s.token], {cwd: dir}).pid!;
	let tree: EvidenceTree | null = null;
	const ready = await waitFor(() => {
		const table = scanProcesses();
		const members = [root, ...descendantsOf(table, root).map(info => info.pid)];
		const named = (name: string) => members.find(pid => table.byPid.get(pid)?.name === name);
		const catPid = named('cat');
		const socketPid = named('node');
		// sh, sleep | cat, sh child and its sleep, node: six, each asleep.
		if (members.length < 6 || !catPid || !socketPid || members.some(pid => readProcess(pid)?.state !== 'S')) return false;
		// node has connected once its socket shows in its descriptors.
		const connected = fs.readdirSync(`/proc/${socketPid}/fd`).some(fd => /^socket:/.test(safeLink(`/proc/${socketPid}/fd/${fd}`)));
		tree = {root, members, catPid, socketPid};
		return connected;
	}, 15_000);
	if (!ready || !tree) throw new Error('the evidence tree did not start');
	return tree;
}

function safeLink(file: string): string {
	try {
		return fs.readlinkSync(file);
	} catch {
		return '';
	}
}

/** A manual terminate of `jobId` as the dashboard's `x` sends it, once confirmed: its result entry. */
export async function terminateJob(engine: Engine, jobId: string): Promise<AuditEntry> {
	const view = engine.getSnapshot().jobs.find(job => job.job.jobId === jobId);
	if (!view) throw new Error(`no job ${jobId} in the engine's snapshot`);
	const confirmation = confirmationFor('terminate', view);
	if ('refused' in confirmation) throw new Error(confirmation.refused);
	return engine.act('terminate', confirmation.target);
}

/** The result entry of the first recover in the audit log of `jobsDir`, once there is one. */
export async function recoverResult(jobsDir: string): Promise<AuditEntry> {
	let result: AuditEntry | undefined;
	if (!(await waitFor(() => (result = readAudit(jobsDir).find(entry => entry.action === 'recover' && entry.result !== 'started')) !== undefined, 20_000))) {
		throw new Error(`no recover result in the audit log of ${jobsDir}`);
	}
	return result!;
}

/** The evidence file an entry names, parsed. */
export function evidenceRecord(entry: AuditEntry): EvidenceRecord {
	return JSON.parse(fs.readFileSync(entry['evidence_file'] as string, 'utf8')) as EvidenceRecord;
}
