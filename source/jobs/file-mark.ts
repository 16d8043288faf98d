import type {Stats} from 'node:fs';
import {lstatOrNull} from './activity-files.js';

/**
 * What the sentinel keeps of a file's lstat: whether it is a regular file, and what tells that it
 * changed. Taken from Node's Stats where the lstat is made, and handed on in its place. V8 lets go
 * of the shape of Stats objects whenever none is alive at a full collection (every 20 s here), and
 * throws away the compiled code of every function that read one: the follower's look and the
 * watcher's were compiled again three times a minute, some 140 ms of CPU a minute over 500 jobs.
 * Marks are made by a few small functions; what reads them keeps its code.
 */
export type FileMark = {regular: boolean; ino: number; dev: number; size: number; mtimeMs: number};

export function markOf(stats: Stats): FileMark {
	return {regular: stats.isFile(), ino: stats.ino, dev: stats.dev, size: stats.size, mtimeMs: stats.mtimeMs};
}

/** The mark of `file` as lstat sees it now, or null when it cannot be looked at. */
export function markOrNull(file: string): FileMark | null {
	const stats = lstatOrNull(file);
	return stats ? markOf(stats) : null;
}
