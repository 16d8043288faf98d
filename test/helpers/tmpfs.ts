import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {onTestFinished} from 'vitest';

/**
 * A small tmpfs of its own, mounted on a fresh directory; unmounted and removed when the test
 * ends, pass or fail. Call it before starting anything that writes there: cleanups run last
 * registered first, so the mount goes after the processes. Returns the mount point, or why it
 * could not be mounted (it needs root). `at`: mount on that folder (made here) instead.
 */
export function mountTmpfs(size = '256k', at?: string): {dir: string} | {problem: string} {
	if (process.getuid?.() !== 0) return {problem: 'not root'};
	// `at`: a folder to make and mount on (one that must not exist yet), e.g. a job's `.sentinel`.
	const dir = at ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-tmpfs-'));
	if (at) fs.mkdirSync(at);
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		fs.rmdirSync(dir);
		return {problem: String((error as {stderr?: Buffer}).stderr ?? (error as Error).message).trim()};
	}
	onTestFinished(() => {
		try {
			execFileSync('umount', [dir], {stdio: 'pipe'});
		} catch {
			// Something still holds a file open there: detach it now, it goes when released.
			execFileSync('umount', ['-l', dir], {stdio: 'pipe'});
		}
		fs.rmdirSync(dir);
	});
	return {dir};
}

/** Write `file` until the file system refuses (ENOSPC); the bytes written. */
export function fillUp(file: string): number {
	const chunk = Buffer.alloc(4096, 0x78);
	const fd = fs.openSync(file, 'w');
	let written = 0;
	try {
		for (;;) written += fs.writeSync(fd, chunk);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
	} finally {
		fs.closeSync(fd);
	}
	return written;
}
