import type {Stats} from 'node:fs';
import path from 'node:path';
import {directoryEntries, lstatOrNull} from './activity-files.js';

/** What an entry looked like last time: another inode, size or mtime is a change. */
type Mark = {ino: number; size: number; mtimeMs: number};

const markOf = (stats: Stats): Mark => ({ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs});

/**
 * A folder looked at when asked (once a tick) rather than watched: one lstat of the folder, a
 * listing only when its own times moved (an entry made, removed or renamed), and one lstat per
 * entry. For a folder whose files are written all the time, a watch's event per write costs more
 * than this look: 500 jobs each writing a line a second to `logs/` raised 500 events a second.
 */
export class PolledFolder {
	private folderMark: Mark | null = null;
	private readonly entries = new Map<string, Mark>();

	/** Takes the folder as it is now: its entries' later changes are what `look` reports. */
	constructor(readonly folder: string) {
		this.look(() => {});
	}

	/**
	 * Report each entry made, changed or gone since the last look (`stats` null when gone). False
	 * when the folder itself is gone or no longer a folder.
	 */
	look(changed: (file: string, stats: Stats | null) => void): boolean {
		const stats = lstatOrNull(this.folder);
		if (!stats?.isDirectory()) return false;
		const moved = this.folderMark === null || stats.ino !== this.folderMark.ino || stats.mtimeMs !== this.folderMark.mtimeMs;
		this.folderMark = markOf(stats);
		if (moved) {
			const names = new Set(directoryEntries(this.folder));
			for (const name of this.entries.keys()) {
				if (names.has(name)) continue;
				this.entries.delete(name);
				changed(path.join(this.folder, name), null);
			}
			for (const name of names) if (!this.entries.has(name)) this.entries.set(name, {ino: -1, size: -1, mtimeMs: -1});
		}
		for (const [name, mark] of this.entries) {
			const file = path.join(this.folder, name);
			const now = lstatOrNull(file);
			if (!now) {
				this.entries.delete(name);
				changed(file, null);
			} else if (now.ino !== mark.ino || now.size !== mark.size || now.mtimeMs !== mark.mtimeMs) {
				mark.ino = now.ino;
				mark.size = now.size;
				mark.mtimeMs = now.mtimeMs;
				changed(file, now);
			}
		}
		return true;
	}
}
