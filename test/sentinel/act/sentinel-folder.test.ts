import {execFileSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'rolldown';
import {describe, expect, test} from 'vitest';
import {AuditLog, auditEntry} from '../../../source/sentinel/act/audit-log.js';
import {LeaderLock} from '../../../source/sentinel/act/leader-lock.js';
import {SentinelFileError, sentinelFolderProblem} from '../../../source/sentinel/act/sentinel-folder.js';
import {StateStore, stateFile} from '../../../source/sentinel/act/state-store.js';
import type {AuditEntry} from '../../../source/types.js';
import {cliEnv, cliPath} from '../../helpers/cli.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

const isRoot = process.getuid?.() === 0;
const asNobody = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];

function nobody(): {uid: number; gid: number} {
	const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], {encoding: 'utf8'}));
	return {uid: id('-u'), gid: id('-g')};
}

function entry(jobId: string): AuditEntry {
	return auditEntry({job_id: jobId, action: 'notify', actor: 'auto', severity: 'medium', result: 'ok', reason: 'silent', evidence: []});
}

/** `name uid:gid mode` for the folder and each entry in it. */
function owners(folder: string): string[] {
	const describe = (file: string, name: string) => {
		const stat = fs.lstatSync(file);
		return `${name} ${stat.uid}:${stat.gid} ${(stat.mode & 0o7777).toString(8)}`;
	};
	return [describe(folder, '.'), ...fs.readdirSync(folder).sort().map(name => describe(path.join(folder, name), name))];
}

/** Every file under `dir` with its bytes, to show that nothing in it changed. */
function contents(dir: string): Record<string, string> {
	return Object.fromEntries(fs.readdirSync(dir).sort().map(name => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

/** A jobs directory in a fresh temporary folder that `nobody` can reach. */
function jobsDirIn(base = makeTempDir()): string {
	fs.chmodSync(base, 0o755);
	const jobsDir = path.join(base, 'jobs');
	fs.mkdirSync(jobsDir);
	return jobsDir;
}

/**
 * Runs LeaderLock and AuditLog from source/ as `nobody` on `jobsDir` (bundled into a script of its own,
 * as node cannot run TypeScript) and returns what they said.
 */
async function asNobodyTakePart(jobsDir: string): Promise<{acquired: boolean; problem: string | null; append: string}> {
	const source = (file: string) => fileURLToPath(new URL(`../../../source/sentinel/act/${file}`, import.meta.url));
	const dir = path.dirname(jobsDir);
	const entryFile = path.join(dir, 'take-part.ts');
	fs.writeFileSync(
		entryFile,
		[
			`import {LeaderLock} from ${JSON.stringify(source('leader-lock.ts'))};`,
			`import {AuditLog, auditEntry} from ${JSON.stringify(source('audit-log.ts'))};`,
			`const lock = new LeaderLock(${JSON.stringify(jobsDir)});`,
			'const acquired = await lock.tryAcquire();',
			'let append = "ok";',
			`try { new AuditLog(lock.folder + '/audit.jsonl').append(auditEntry(${JSON.stringify(entry('x'))})); } catch (error) { append = error.message; }`,
			'console.log(JSON.stringify({acquired, problem: lock.problem, append}));',
		].join('\n'),
	);
	await build({input: entryFile, platform: 'node', output: {file: path.join(dir, 'take-part.mjs'), format: 'esm'}, logLevel: 'silent'});
	const out = execFileSync('setpriv', [...asNobody, process.execPath, path.join(dir, 'take-part.mjs')], {encoding: 'utf8'});
	return JSON.parse(out) as {acquired: boolean; problem: string | null; append: string};
}

function output(child: ChildProcess): () => string {
	let text = '';
	child.stdout?.on('data', chunk => (text += String(chunk)));
	child.stderr?.on('data', chunk => (text += String(chunk)));
	return () => text.slice(-3000);
}

describe('<jobs-dir>/.sentinel', () => {
	test.skipIf(!isRoot)('a root run on a nobody-owned jobs directory leaves .sentinel and all in it to nobody; a sentinel run as nobody then takes the lock and appends', async () => {
		const owner = nobody();
		const jobsDir = jobsDirIn();
		fs.chownSync(jobsDir, owner.uid, owner.gid);
		// Not the usual 755: what the sentinel makes follows the jobs directory, not its umask.
		fs.chmodSync(jobsDir, 0o750);
		const folder = path.join(jobsDir, '.sentinel');
		const auditFile = path.join(folder, 'audit.jsonl');

		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(true);
			const store = new StateStore(stateFile(jobsDir));
			expect(await store.setPaused('paused', true)).toBe(true);
			expect(await store.recordIntervention('a', 'recover', Date.now())).toBe(true);
			// Small enough that every append after the first rotates: the rotations are made here too.
			const audit = new AuditLog(auditFile, {maxBytes: 100});
			for (const id of ['a', 'b', 'c']) audit.append(entry(id));
			const made = ['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2', 'leader.json', 'leader.lock', 'state.json', 'state.lock'];
			const expected = [`. ${owner.uid}:${owner.gid} 750`, ...made.map(name => `${name} ${owner.uid}:${owner.gid} 640`)];
			// No temporary file is left behind either.
			expect(owners(folder)).toEqual(expected);
		} finally {
			lock.release();
		}
		expect(fs.existsSync(lock.infoFile)).toBe(false);

		// A real sentinel, run as nobody: it must take the lock and audit a notify for a silent job.
		const home = path.join(path.dirname(jobsDir), 'home');
		fs.mkdirSync(home);
		fs.chownSync(home, owner.uid, owner.gid);
		const sleeper = startProcess('setpriv', [...asNobody, 'sleep', '60']);
		const jobDir = writeJob(jobsDir, 'quiet', {job_id: 'quiet', status: 'RUNNING', pid: sleeper.pid});
		for (const file of [jobDir, path.join(jobDir, 'job_manifest.json')]) fs.chownSync(file, owner.uid, owner.gid);
		const args = ['--headless', jobsDir, '--interval', '250ms', '--worker-timeout', '4s', '--critical-timeout', '60s'];
		const sentinel = startProcess('setpriv', [...asNobody, process.execPath, cliPath, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(home)});
		const seen = output(sentinel);
		const pid = sentinel.pid!;
		const notified = () => new AuditLog(auditFile).readAll().some(item => item.job_id === 'quiet' && item.action === 'notify' && item.sentinel.pid === pid);
		expect(await waitFor(notified, 20_000), `the nobody sentinel said:\n${seen()}`).toBe(true);
		expect(new LeaderLock(jobsDir).holder()?.pid).toBe(pid);
		expect(new AuditLog(auditFile).readAll().map(item => item.job_id).slice(0, 3)).toEqual(['a', 'b', 'c']);
		expect(fs.statSync(auditFile).uid).toBe(owner.uid);
	});

	test('in a jobs directory anyone may write to (1777, as /tmp), nothing the sentinel makes is writable by others', async () => {
		const jobsDir = jobsDirIn();
		fs.chmodSync(jobsDir, 0o1777);
		const lock = new LeaderLock(jobsDir);
		expect(await lock.tryAcquire()).toBe(true);
		try {
			expect(await new StateStore(stateFile(jobsDir)).setPaused('paused', true)).toBe(true);
			new AuditLog(path.join(jobsDir, '.sentinel', 'audit.jsonl')).append(entry('a'));
			const modes = owners(path.join(jobsDir, '.sentinel')).map(line => line.split(' ')[2]!);
			expect(modes[0]).toBe('775');
			for (const mode of modes.slice(1)) expect(mode).toBe('664');
		} finally {
			lock.release();
		}
	});

	test('a .sentinel that is a link is never followed: nothing is read from or written into its target, and each part says why', async () => {
		const jobsDir = jobsDirIn();
		const outside = path.join(path.dirname(jobsDir), 'outside');
		fs.mkdirSync(outside);
		// What a sentinel would find there, were it to follow the link.
		fs.writeFileSync(path.join(outside, 'leader.json'), JSON.stringify({pid: process.pid, host: 'planted', start: null}));
		fs.writeFileSync(path.join(outside, 'state.json'), JSON.stringify({version: 1, interventions: [], paused: ['planted']}));
		fs.writeFileSync(path.join(outside, 'audit.jsonl'), `${JSON.stringify(entry('planted'))}\n`);
		const before = contents(outside);
		fs.symlinkSync(outside, path.join(jobsDir, '.sentinel'));
		const why = `${jobsDir}/.sentinel is a symbolic link: never followed (remove it)`;

		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(false);
			expect({held: lock.held, problem: lock.problem, holder: lock.holder()}).toEqual({held: false, problem: why, holder: null});
		} finally {
			lock.release();
		}
		const store = new StateStore(stateFile(jobsDir));
		store.load();
		expect(store.isPaused('planted')).toBe(false);
		expect(store.problem).toContain(why);
		expect(await store.setPaused('a', true)).toBe(false);
		expect(store.problem).toContain(why);
		const audit = new AuditLog(path.join(jobsDir, '.sentinel', 'audit.jsonl'));
		expect(() => audit.append(entry('a'))).toThrow(SentinelFileError);
		expect(() => audit.append(entry('a'))).toThrow(why);
		expect(() => audit.readAll()).toThrow(why);
		expect(audit.readTail(5)).toEqual([]);
		expect(sentinelFolderProblem(jobsDir)).toBe(why);
		expect(contents(outside)).toEqual(before);
	});

	test('a file in .sentinel that is a link (or a FIFO) is never followed: its target stays as it was', async () => {
		const jobsDir = jobsDirIn();
		const folder = path.join(jobsDir, '.sentinel');
		const outside = path.join(path.dirname(jobsDir), 'outside');
		fs.mkdirSync(folder);
		fs.mkdirSync(outside);
		fs.writeFileSync(path.join(outside, 'precious'), 'precious\n');
		fs.symlinkSync(path.join(outside, 'precious'), path.join(folder, 'leader.lock'));
		fs.symlinkSync(path.join(outside, 'precious'), path.join(folder, 'audit.jsonl'));
		fs.symlinkSync(path.join(outside, 'precious'), path.join(folder, 'state.json'));
		// A link to nothing: following it would make the file it names.
		fs.symlinkSync(path.join(outside, 'made-through-a-link'), path.join(folder, 'state.lock'));
		execFileSync('mkfifo', [path.join(folder, 'leader.json')]);

		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(false);
			expect(lock.problem).toBe(`${folder}/leader.lock is a symbolic link: never followed (remove it)`);
			// A FIFO would block a read until someone writes to it.
			expect(lock.holder()).toBeNull();
		} finally {
			lock.release();
		}
		const store = new StateStore(stateFile(jobsDir));
		store.load();
		expect(store.problem).toBe(`cannot read ${folder}/state.json: ${folder}/state.json is a symbolic link: never followed (remove it)`);
		expect(await store.setPaused('a', true)).toBe(false);
		expect(store.problem).toContain(`${folder}/state.lock is a symbolic link`);
		expect(() => new AuditLog(path.join(folder, 'audit.jsonl')).append(entry('a'))).toThrow(`${folder}/audit.jsonl is a symbolic link`);
		expect(contents(outside)).toEqual({precious: 'precious\n'});
		expect(fs.readlinkSync(path.join(folder, 'state.json'))).toBe(path.join(outside, 'precious'));
	});

	test('.sentinel not a folder, a jobs directory gone, or a read-only file system: the sentinel cannot take part and says why', async ctx => {
		const jobsDir = jobsDirIn();
		fs.writeFileSync(path.join(jobsDir, '.sentinel'), 'a file');
		const lock = new LeaderLock(jobsDir);
		expect(await lock.tryAcquire()).toBe(false);
		expect(lock.problem).toBe(`${jobsDir}/.sentinel is not a folder`);
		fs.rmSync(jobsDir, {recursive: true});
		expect(await lock.tryAcquire()).toBe(false);
		expect(lock.problem).toBe(`cannot create ${jobsDir}/.sentinel: no such file or directory`);
		expect(fs.existsSync(jobsDir)).toBe(false);

		if (!isRoot) ctx.skip('needs root to mount a read-only tmpfs');
		fs.mkdirSync(jobsDir);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', jobsDir]);
		try {
			expect(await lock.tryAcquire()).toBe(false);
			expect(lock.problem).toBe(`cannot create ${jobsDir}/.sentinel: read-only file system`);
		} finally {
			execFileSync('umount', [jobsDir]);
		}
	});

	test.skipIf(!isRoot)('a sentinel run as nobody on a .sentinel an older root run left to root says why it cannot take part', async () => {
		const jobsDir = jobsDirIn();
		const owner = nobody();
		fs.chownSync(jobsDir, owner.uid, owner.gid);
		const folder = path.join(jobsDir, '.sentinel');
		fs.mkdirSync(folder, {mode: 0o755});
		fs.writeFileSync(path.join(folder, 'leader.lock'), '', {mode: 0o644});
		expect(await asNobodyTakePart(jobsDir)).toEqual({
			acquired: false,
			problem: `cannot open ${folder}/leader.lock: permission denied (owned by uid 0; this sentinel runs as uid ${owner.uid})`,
			append: `cannot create ${folder}/audit.jsonl: permission denied (its folder is owned by uid 0; this sentinel runs as uid ${owner.uid})`,
		});
		// Made by a root run of today's sentinel instead, the same folder serves nobody.
		fs.rmSync(folder, {recursive: true});
		const lock = new LeaderLock(jobsDir);
		expect(await lock.tryAcquire()).toBe(true);
		lock.release();
		expect(await asNobodyTakePart(jobsDir)).toEqual({acquired: true, problem: null, append: 'ok'});
	});
});
