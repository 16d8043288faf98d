import fs from 'node:fs';
import path from 'node:path';

import {manifestName} from './job-layout.js';

/**
 * Whether a file in a job directory is not the job's own activity: the lock, backups, and
 * anything the sentinel names `.sentinel*` (its temp files and state folder).
 */
export function isSentinelFile(relativePath: string): boolean {
	// Most files heard are neither: told without splitting the path.
	if (!relativePath.includes('.sentinel') && !relativePath.startsWith('.lock') && !relativePath.startsWith('.backups')) return false;
	const parts = relativePath.split(path.sep);
	const first = parts[0] ?? '';
	if (first === '.lock' || first === '.backups') return true;
	return parts.some(part => part.startsWith('.sentinel'));
}

/**
 * The newest mtime (epoch ms) of the files directly in `dir` or one level below, the sentinel's
 * own files left out. `ownWrite` is the mtime of the manifest as the sentinel last wrote it:
 * a manifest with exactly that mtime is the sentinel's write, not the job's activity.
 * Synchronous: a handful of stats per job, microseconds each on a local disk. `manifestStats` is
 * the manifest's lstat when the caller has just taken it, not taken again. `skip` leaves out the
 * files whose writes mean something else (output files, judged by their lines).
 */
export function latestFileActivity(dir: string, ownWrite?: number, manifestStats?: fs.Stats, skip?: (relative: string) => boolean): number | null {
	let latest: number | null = null;
	const consider = (file: string, relative: string, descend: boolean): void => {
		if (isSentinelFile(relative) || skip?.(relative)) return;
		const stats = (relative === manifestName ? manifestStats : undefined) ?? lstatOrNull(file);
		if (!stats) return;
		if (stats.isDirectory()) {
			if (descend) for (const name of directoryEntries(file)) consider(path.join(file, name), path.join(relative, name), false);
			return;
		}
		if (!stats.isFile()) return;
		if (relative === manifestName && ownWrite !== undefined && stats.mtimeMs === ownWrite) return;
		if (latest === null || stats.mtimeMs > latest) latest = stats.mtimeMs;
	};
	for (const name of directoryEntries(dir)) consider(path.join(dir, name), name, true);
	return latest;
}

/** A file's own stats; null when it is gone or cannot be looked at (no permission, a name too long). */
export function lstatOrNull(file: string): fs.Stats | null {
	try {
		return fs.lstatSync(file, {throwIfNoEntry: false}) ?? null;
	} catch {
		return null;
	}
}

/** The names in `dir`; none when it cannot be read (gone, not a directory, no permission). */
export function directoryEntries(dir: string): string[] {
	try {
		return fs.readdirSync(dir);
	} catch {
		return [];
	}
}
