import fs from 'node:fs';

/**
 * One buffer for every small /proc read. The kernel gives these files a size of 0, so
 * fs.readFileSync reads each in 64 KiB buffers, two a file, each malloc'ed outside the JS heap:
 * the first look at 1,000 jobs (a status, wchan and syscall file each) churned some 380 MB through
 * malloc, and the arena kept 10 MB of it, scattered, for good (docs/performance.md, Memory).
 */
const chunk = Buffer.allocUnsafe(4096);

/**
 * The text of a /proc file (latin1: what the kernel writes is bytes). Read in 4 KiB steps into
 * one shared buffer, however long the file (/proc/net/tcp on a busy server). Throws as
 * fs.readFileSync does: ENOENT for a process gone, EACCES where the file is not ours to read.
 */
export function readProcFile(file: string): string {
	const fd = fs.openSync(file, 'r');
	try {
		let text = '';
		for (;;) {
			// No position: /proc files are read on from where the last read stopped.
			const length = fs.readSync(fd, chunk, 0, chunk.length, null);
			if (length === 0) return text;
			text += chunk.toString('latin1', 0, length);
		}
	} finally {
		fs.closeSync(fd);
	}
}
