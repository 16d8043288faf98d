import type {Stats} from 'node:fs';
import path from 'node:path';
import {watch, type FSWatcher} from 'chokidar';
import {directoryEntries, isSentinelFile, lstatOrNull} from './activity-files.js';
import {manifestName} from './job-layout.js';

/** What the watcher reports; paths are absolute, `dir` is always a job directory. */
export type WatchListener = {
	manifestChanged: (dir: string) => void;
	manifestRemoved: (dir: string) => void;
	/** A file of a job changed: `relative` is its path inside the job directory. */
	activity: (dir: string, mtimeMs: number, relative: string) => void;
	indexChanged: () => void;
	/** Watching fell back to polling (inotify limits, network file systems), or came back. */
	modeChanged: (mode: 'watch' | 'poll', reason: string) => void;
	error: (message: string) => void;
	/** The first scan is done: jobs made while it ran raised no event, and need a listing. */
	ready: () => void;
};

const indexName = 'jobs_index.json';
const exhaustion = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * Watches `<jobs-dir>/<name>/` (files and one level below) and the job directories that
 * `jobs_index.json` names elsewhere, with chokidar. Where a watch cannot be set, it reopens
 * every watch as polling at `pollIntervalMs` and says so.
 *
 * With file watches, chokidar watches the directories only: a directory's watch already hears
 * every change to the files in it, and chokidar passes those on as `raw` events. Watching each
 * file as well cost a watch, a listener set and a handle per file (some 7 MB with 1,000 jobs).
 * Polling has no such events: there every file is polled, as chokidar does.
 */
export class JobWatcher {
	mode: 'watch' | 'poll';
	private watchers: FSWatcher[] = [];
	private extraDirs: string[] = [];
	private closed = false;
	/** Files named by raw events since the last look: one look per file per turn of the event loop. */
	private touched = new Set<string>();

	constructor(
		private readonly jobsDir: string,
		private readonly listener: WatchListener,
		private readonly pollIntervalMs: number,
		forcePolling = false,
	) {
		this.mode = forcePolling ? 'poll' : 'watch';
	}

	start(): void {
		this.open();
	}

	/** Job directories outside the jobs directory (from jobs_index.json) to watch as well. */
	setExtraDirs(dirs: string[]): void {
		const next = [...new Set(dirs)].filter(dir => this.jobDirOf(dir) === null).sort();
		if (next.join('\n') === this.extraDirs.join('\n')) return;
		this.extraDirs = next;
		if (!this.closed && this.watchers.length > 0) this.reopen();
	}

	async close(): Promise<void> {
		this.closed = true;
		const watchers = this.watchers;
		this.watchers = [];
		await Promise.all(watchers.map(async watcher => watcher.close()));
	}

	/** The job directory a path under the jobs directory belongs to, and the path inside it. */
	private jobDirOf(file: string): {dir: string; relative: string} | null {
		const relative = path.relative(this.jobsDir, file);
		if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
		const [name = '', ...rest] = relative.split(path.sep);
		return {dir: path.join(this.jobsDir, name), relative: rest.join(path.sep)};
	}

	private extraDirOf(file: string): {dir: string; relative: string} | null {
		for (const dir of this.extraDirs) {
			const relative = path.relative(dir, file);
			if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return {dir, relative};
		}
		return null;
	}

	private ignored = (file: string, stats?: Stats): boolean => {
		const inJobs = this.jobDirOf(file);
		if (inJobs) {
			// The jobs directory's own entries: job folders and jobs_index.json, not .sentinel/.
			if (inJobs.relative === '') return path.basename(inJobs.dir).startsWith('.sentinel');
			return isSentinelFile(inJobs.relative) || this.heardByDirectory(stats);
		}
		const extra = this.extraDirOf(file);
		return extra ? isSentinelFile(extra.relative) || this.heardByDirectory(stats) : false;
	};

	/** A file in a job directory, while its directory's watch hears its changes (see the class). */
	private heardByDirectory(stats?: Stats): boolean {
		return this.mode === 'watch' && stats?.isFile() === true;
	}

	private handle = (event: string, file: string, stats?: Stats): void => {
		if (file === path.join(this.jobsDir, indexName)) {
			this.listener.indexChanged();
			return;
		}
		const place = this.jobDirOf(file) ?? this.extraDirOf(file);
		if (place && event === 'addDir') {
			// Files written before the new directory's watch was set: looked at once, as if heard.
			for (const name of directoryEntries(file)) this.touch(path.join(file, name));
			return;
		}
		if (!place || place.relative === '') {
			if (place && event === 'unlinkDir') this.listener.manifestRemoved(place.dir);
			return;
		}
		if (place.relative === manifestName) {
			if (event === 'unlink') this.listener.manifestRemoved(place.dir);
			else if (event === 'add' || event === 'change') this.listener.manifestChanged(place.dir);
		}
		if ((event === 'add' || event === 'change') && stats?.isFile()) this.listener.activity(place.dir, stats.mtimeMs, place.relative);
	};

	private open(): void {
		const options = {
			ignoreInitial: true,
			alwaysStat: true,
			followSymlinks: false,
			ignored: this.ignored,
			usePolling: this.mode === 'poll',
			interval: this.pollIntervalMs,
			binaryInterval: this.pollIntervalMs,
			ignorePermissionErrors: true,
			// The sentinel renames its writes into place; plain events are what it wants.
			atomic: false,
		};
		const jobs = watch(this.jobsDir, {...options, depth: 2});
		jobs.once('ready', () => {
			if (!this.closed) this.listener.ready();
		});
		const extra = this.extraDirs.length > 0 ? [watch(this.extraDirs, {...options, depth: 1})] : [];
		for (const watcher of [jobs, ...extra]) {
			watcher.on('all', (event, file, stats) => this.handle(event, file, stats));
			watcher.on('error', error => this.onError(error as NodeJS.ErrnoException));
			if (this.mode === 'watch') watcher.on('raw', (_event, name, details) => this.heard(name, details));
		}
		this.watchers = [jobs, ...extra];
	}

	/** A directory's watch heard `name` change: `details.watchedPath` is the directory. */
	private heard(name: unknown, details: unknown): void {
		const directory = (details as {watchedPath?: unknown} | undefined)?.watchedPath;
		if (typeof name === 'string' && typeof directory === 'string') this.touch(path.join(directory, name));
	}

	private touch(file: string): void {
		if (this.touched.size === 0) setImmediate(this.lookAtTouched);
		this.touched.add(file);
	}

	/** One lstat per file heard: a manifest there changed, one gone was removed; any file is activity. */
	private lookAtTouched = (): void => {
		const files = this.touched;
		this.touched = new Set();
		if (this.closed) return;
		for (const file of files) {
			const place = this.jobDirOf(file) ?? this.extraDirOf(file);
			if (!place || place.relative === '' || isSentinelFile(place.relative)) continue;
			const stats = lstatOrNull(file);
			if (place.relative === manifestName) {
				if (stats) this.listener.manifestChanged(place.dir);
				else this.listener.manifestRemoved(place.dir);
			}
			if (stats?.isFile()) this.listener.activity(place.dir, stats.mtimeMs, place.relative);
		}
	};

	private reopen(): void {
		const old = this.watchers;
		this.watchers = [];
		for (const watcher of old) void watcher.close();
		this.open();
	}

	private onError(error: NodeJS.ErrnoException): void {
		if (this.closed) return;
		if (exhaustion.has(error.code ?? '') && this.mode === 'watch') {
			this.mode = 'poll';
			this.listener.modeChanged('poll', `file watches unavailable (${error.code}): polling every ${this.pollIntervalMs} ms instead`);
			this.reopen();
			return;
		}
		this.listener.error(`watching ${this.jobsDir}: ${error.message}`);
	}
}
