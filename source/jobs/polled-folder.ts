import path from 'node:path';
import {directoryEntries, lstatOrNull} from './activity-files.js';
import type {FileMark} from './file-mark.js';

/** What the folder looked like last time: another inode or mtime is a change. */
type Mark = {ino: number; mtimeMs: number};
/** An entry's name and path, joined once, and its mark as last looked at: another inode, size or mtime is a change. */
type Entry = FileMark & {name: string; file: string};

/**
 * A folder looked at when asked (once a tick) rather than watched: one lstat of the folder, a
 * listing only when its own times moved (an entry made, removed or renamed), and one lstat per
 * entry. For a folder whose files are written all the time, a watch's event per write costs more
 * than this look: 500 jobs each writing a line a second to `logs/` raised 500 events a second.
 */
export class PolledFolder {
	private folderMark: Mark | null = null;
	private readonly entries = new Map<string, Entry>();

	/** Takes the folder as it is now: its entries' later changes are what `look` reports. */
	constructor(readonly folder: string) {
		this.look(() => {});
	}

	/**
	 * Report each entry made, changed or gone since the last look, with its mark (null when gone),
	 * valid until the next look. False when the folder itself is gone or no longer a folder.
	 */
	look(changed: (file: string, mark: FileMark | null) => void): boolean {
		const stats = lstatOrNull(this.folder);
		if (!stats?.isDirectory()) return false;
		const moved = this.folderMark === null || stats.ino !== this.folderMark.ino || stats.mtimeMs !== this.folderMark.mtimeMs;
		if (moved) {
			// Made again only when it moved: a folder's mark is its inode and times.
			this.folderMark = {ino: stats.ino, mtimeMs: stats.mtimeMs};
			const names = new Set(directoryEntries(this.folder));
			for (const [name, entry] of this.entries) {
				if (names.has(name)) continue;
				this.entries.delete(name);
				changed(entry.file, null);
			}
			for (const name of names) if (!this.entries.has(name)) this.entries.set(name, {name, file: path.join(this.folder, name), regular: false, ino: -1, dev: -1, size: -1, mtimeMs: -1});
		}
		// Over the values, each with its name: no array per entry (a for-of over the map makes one),
		// and no arrow made each look (forEach's), a new function whose compiled code V8 holds weakly
		// and compiles again after every full collection; every job's logs every tick.
		for (const entry of this.entries.values()) {
			const now = lstatOrNull(entry.file);
			if (!now) {
				this.entries.delete(entry.name);
				changed(entry.file, null);
			} else if (now.ino !== entry.ino || now.size !== entry.size || now.mtimeMs !== entry.mtimeMs) {
				entry.regular = now.isFile();
				entry.ino = now.ino;
				entry.dev = now.dev;
				entry.size = now.size;
				entry.mtimeMs = now.mtimeMs;
				// The entry itself, not the Stats (file-mark.ts): a shape that stays alive.
				changed(entry.file, entry);
			}
		}
		return true;
	}
}
