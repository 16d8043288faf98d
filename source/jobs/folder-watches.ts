import fs from 'node:fs';
import path from 'node:path';
import {directoryEntries, lstatOrNull} from './activity-files.js';
import type {FileMark} from './file-mark.js';
import {PolledFolder} from './polled-folder.js';

/** What the watches report; every path is absolute. */
export type FolderListener = {
	/** `file`, an entry of a watched folder, was written, made, renamed or removed; `mark` when a look just took it (null: gone). */
	heard: (file: string, mark?: FileMark | null) => void;
	/** A watched folder went (removed, or replaced by something else). */
	folderGone: (folder: string) => void;
	/** A watch could not be set for want of inotify watches or descriptors (`code`). */
	exhausted: (code: string) => void;
	error: (message: string) => void;
};

const exhaustion = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);
// A folder that went, or that the sentinel may not read (mode 000), or an entry that is not a
// folder after all: nothing to watch, and the registry says what is wrong with the job.
const unwatchable = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP']);
/** Folders set up per turn of the event loop at the start, so a big directory never holds the screen. */
const foldersPerTurn = 100;

/**
 * One inotify watch per folder (`fs.watch`), down to a depth, and nothing else: an event names
 * the entry that changed, which is passed on as heard. chokidar did the same with one difference
 * that cost most of a busy sentinel's CPU: it listed and stat'ed a folder's every entry again on
 * each event in it (500 jobs writing a line a second: 500 listings a second). Here a folder is
 * looked at only when an entry was made or removed in it ('rename'), and only to know whether
 * that entry is a folder to watch or one that went. Links are never followed. The folders that
 * `polled` names are not watched but looked at on each `look()` (PolledFolder).
 */
export class FolderWatches {
	/** Each watched folder and how many folder levels below it are watched too. */
	private readonly watched = new Map<string, {watcher: fs.FSWatcher; below: number}>();
	private readonly polled = new Map<string, PolledFolder>();
	private closed = false;

	constructor(
		private readonly listener: FolderListener,
		/** Whether a folder found under a watched one is watched (not the sentinel's own). */
		private readonly wanted: (folder: string) => boolean,
		/** Whether such a folder is looked at on each `look()` instead of watched. */
		private readonly isPolled: (folder: string) => boolean,
	) {}

	/** Look at every polled folder: what changed in each is heard, with its stats. */
	look(): void {
		for (const [folder, polled] of this.polled) if (!polled.look(this.listener.heard)) this.polled.delete(folder);
	}

	/**
	 * Watch `root` and the folders below it, `below` levels down; then `ready`. The folders under
	 * the root are set up a hundred a turn; writes in them before their watch raise no event.
	 */
	start(roots: ReadonlyArray<{folder: string; below: number}>, ready: () => void): void {
		const pending: Array<{folder: string; below: number}> = [];
		for (const {folder, below} of roots) {
			if (!this.watch(folder, below)) continue;
			if (below > 0) for (const name of directoryEntries(folder)) pending.push({folder: path.join(folder, name), below: below - 1});
		}
		const step = (): void => {
			if (this.closed) return;
			for (const {folder, below} of pending.splice(0, foldersPerTurn)) this.addIfFolder(folder, below, false);
			if (pending.length > 0) setImmediate(step);
			else ready();
		};
		step();
	}

	/** Watch one more root (a job directory named by jobs_index.json), its entries not announced. */
	add(folder: string, below: number): void {
		this.addIfFolder(folder, below, false);
	}

	/** Let go of `folder` and every watch below it. */
	remove(folder: string): void {
		const prefix = folder + path.sep;
		for (const [watched, {watcher}] of this.watched) {
			if (watched !== folder && !watched.startsWith(prefix)) continue;
			watcher.close();
			this.watched.delete(watched);
		}
		for (const polled of this.polled.keys()) if (polled === folder || polled.startsWith(prefix)) this.polled.delete(polled);
	}

	close(): void {
		this.closed = true;
		for (const {watcher} of this.watched.values()) watcher.close();
		this.watched.clear();
		this.polled.clear();
	}

	/** Watch `folder` (and below) when it is a real folder wanted; `announce` reports its entries as heard. */
	private addIfFolder(folder: string, below: number, announce: boolean): void {
		if (this.closed || this.watched.has(folder) || this.polled.has(folder) || lstatOrNull(folder)?.isDirectory() !== true || !this.wanted(folder)) return;
		if (this.isPolled(folder)) {
			const polled = new PolledFolder(folder);
			this.polled.set(folder, polled);
			if (announce) for (const name of directoryEntries(folder)) this.listener.heard(path.join(folder, name));
			return;
		}
		if (!this.watch(folder, below)) return;
		if (!announce && below === 0) return;
		for (const name of directoryEntries(folder)) {
			const entry = path.join(folder, name);
			// Written before the watch was set: looked at once, as if heard.
			if (announce) this.listener.heard(entry);
			if (below > 0) this.addIfFolder(entry, below - 1, announce);
		}
	}

	/** Set one folder's watch; false when it cannot be (said, when that is not the folder's own fault). */
	private watch(folder: string, below: number): boolean {
		if (this.closed) return false;
		let watcher: fs.FSWatcher;
		try {
			watcher = fs.watch(folder, {persistent: true}, (event, name) => this.onEvent(folder, below, event, name));
		} catch (error) {
			this.failed(folder, error as NodeJS.ErrnoException);
			return false;
		}
		watcher.on('error', error => {
			this.remove(folder);
			this.failed(folder, error as NodeJS.ErrnoException);
		});
		this.watched.set(folder, {watcher, below});
		return true;
	}

	private onEvent(folder: string, below: number, event: string, name: string | Buffer | null): void {
		if (this.closed || typeof name !== 'string' || name === '') return;
		const entry = path.join(folder, name);
		if (event === 'rename') {
			// Made, renamed or removed: a folder made is watched (its entries announced), one gone is let go.
			if (this.watched.has(entry) || this.polled.has(entry)) {
				if (lstatOrNull(entry)?.isDirectory() !== true) {
					this.remove(entry);
					this.listener.folderGone(entry);
				}
			} else if (below > 0) {
				this.addIfFolder(entry, below - 1, true);
			}
		}
		this.listener.heard(entry);
	}

	private failed(folder: string, error: NodeJS.ErrnoException): void {
		const code = error.code ?? '';
		if (unwatchable.has(code)) return;
		if (exhaustion.has(code)) this.listener.exhausted(code);
		else this.listener.error(`watching ${folder}: ${error.message}`);
	}
}
