import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {LeaderLock} from '../../../source/sentinel/act/leader-lock.js';
import {makeTempDir} from '../../helpers/temp-dir.js';
import {isAlive, startNode, startProcess, waitFor} from '../../helpers/processes.js';

describe('LeaderLock', () => {
	test('two sentinels in one process cannot both hold it; the other sees who acts', async () => {
		const jobsDir = makeTempDir();
		const first = new LeaderLock(jobsDir);
		const second = new LeaderLock(jobsDir);
		try {
			expect(await first.tryAcquire()).toBe(true);
			expect(first.held).toBe(true);
			expect(await first.tryAcquire()).toBe(true);
			expect(await second.tryAcquire()).toBe(false);
			expect(second.held).toBe(false);
			expect(second.holder()).toEqual({pid: process.pid, host: os.hostname()});
			first.release();
			expect(first.held).toBe(false);
			expect(second.holder()).toBeNull();
			expect(await second.tryAcquire()).toBe(true);
		} finally {
			first.release();
			second.release();
		}
	});

	test('a lock held by another process keeps us out until that process is killed', async () => {
		const jobsDir = makeTempDir();
		fs.mkdirSync(path.join(jobsDir, '.sentinel'));
		const marker = path.join(jobsDir, 'locked');
		const holder = startProcess('flock', ['-x', path.join(jobsDir, '.sentinel', 'leader.lock'), 'sh', '-c', 'touch "$1"; exec sleep 30', 'sh', marker]);
		expect(await waitFor(() => fs.existsSync(marker), 5000, 10)).toBe(true);
		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(false);
			expect(await lock.tryAcquire()).toBe(false);
			process.kill(-holder.pid!, 'SIGKILL');
			expect(await waitFor(() => !isAlive(holder.pid!), 5000, 10)).toBe(true);
			expect(await waitFor(() => lock.tryAcquire(), 5000, 20)).toBe(true);
			expect(lock.holder()).toEqual({pid: process.pid, host: os.hostname()});
			const info = JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'leader.json'), 'utf8')) as {pid: number; host: string};
			expect(info).toMatchObject({pid: process.pid, host: os.hostname()});
		} finally {
			lock.release();
		}
	});

	test('a leader.json left by a dead holder names no one', async () => {
		const jobsDir = makeTempDir();
		const child = startNode('setTimeout(() => {}, 30000)');
		const lock = new LeaderLock(jobsDir);
		fs.mkdirSync(path.dirname(lock.infoFile), {recursive: true});
		fs.writeFileSync(lock.infoFile, JSON.stringify({pid: child.pid, host: os.hostname(), start: null}));
		expect(lock.holder()).toEqual({pid: child.pid, host: os.hostname()});
		// The same pid with another start time is another process.
		fs.writeFileSync(lock.infoFile, JSON.stringify({pid: child.pid, host: os.hostname(), start: '1'}));
		expect(lock.holder()).toBeNull();
		process.kill(-child.pid!, 'SIGKILL');
		expect(await waitFor(() => !isAlive(child.pid!), 5000, 10)).toBe(true);
		fs.writeFileSync(lock.infoFile, JSON.stringify({pid: child.pid, host: os.hostname(), start: null}));
		expect(lock.holder()).toBeNull();
		fs.writeFileSync(lock.infoFile, 'garbage');
		expect(lock.holder()).toBeNull();
	});

	test('a lock file removed under the holder is taken again, not trusted', async () => {
		const jobsDir = makeTempDir();
		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(true);
			fs.rmSync(path.join(jobsDir, '.sentinel'), {recursive: true});
			expect(await lock.tryAcquire()).toBe(true);
			expect(fs.existsSync(lock.lockFile)).toBe(true);
			expect(fs.existsSync(lock.infoFile)).toBe(true);
		} finally {
			lock.release();
		}
	});

	test('after `rm -rf J && mkdir J` the holder finds its lock gone, a new sentinel takes the new one, and the old one competes and loses', async () => {
		const jobsDir = path.join(makeTempDir(), 'jobs');
		fs.mkdirSync(jobsDir);
		const first = new LeaderLock(jobsDir);
		const second = new LeaderLock(jobsDir);
		try {
			expect(await first.tryAcquire()).toBe(true);
			expect(first.stillHeld()).toBe(true);
			expect(await second.tryAcquire()).toBe(false);
			execFileSync('sh', ['-c', 'rm -rf "$1" && mkdir "$1"', 'sh', jobsDir]);
			// Its flock is on a file no one else opens any more: it must not go on acting.
			expect(first.stillHeld()).toBe(false);
			expect(first.held).toBe(false);
			expect(await second.tryAcquire()).toBe(true);
			expect(await first.tryAcquire()).toBe(false);
			expect(first.problem).toBeNull();
			expect(second.stillHeld()).toBe(true);
			// Losing took nothing of the new holder's, nor did a release afterwards.
			first.release();
			expect(fs.existsSync(second.infoFile)).toBe(true);
			second.release();
			expect(fs.existsSync(second.infoFile)).toBe(false);
			expect(await first.tryAcquire()).toBe(true);
		} finally {
			first.release();
			second.release();
		}
	});

	test('a holder whose .sentinel is moved away and replaced by a link to it lets go and cannot take part', async () => {
		const jobsDir = makeTempDir();
		const lock = new LeaderLock(jobsDir);
		try {
			expect(await lock.tryAcquire()).toBe(true);
			fs.renameSync(lock.folder, path.join(jobsDir, 'moved'));
			// The lock file at the path is still the one held, but only through a link.
			fs.symlinkSync('moved', lock.folder);
			expect(lock.stillHeld()).toBe(false);
			expect(await lock.tryAcquire()).toBe(false);
			expect(lock.problem).toBe(`${lock.folder} is a symbolic link: never followed (remove it)`);
			fs.rmSync(lock.folder);
			expect(await lock.tryAcquire()).toBe(true);
			expect(lock.problem).toBeNull();
		} finally {
			lock.release();
		}
	});
});
