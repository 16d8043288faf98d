import type {Stats} from 'node:fs';
import path from 'node:path';
import type {FSWatcher} from 'chokidar';
import {directoryEntries, isSentinelFile} from './activity-files.js';
import {markOrNull, type FileMark} from './file-mark.js';
import {FolderWatches} from './folder-watches.js';
import {manifestName} from './job-layout.js';
import {logsFolder} from './output-files.js';

/** What the watcher reports; paths are absolute, `dir` is always a job directory. */
export type WatchListener = {
	manifestChanged: (dir: string) => void;
	manifestRemoved: (dir: string) => void;
	/**
	 * A file of a job changed: `relative` is its path inside the job directory. `mark` is the
	 * file's lstat when taken by this very call's look (lookAtPolled), not taken again by a reader.
	 */
	activity: (dir: string, mtimeMs: number, relative: string, mark?: FileMark) => void;
	indexChanged: () => void;
	/** Watching fell back to polling (inotify limits, network file systems), or came back. */
	modeChanged: (mode: 'watch' | 'poll', reason: string) => void;
	error: (message: string) => void;
	/** The first scan is done: jobs made while it ran raised no event, and need a listing. */
	ready: () => void;
};

const indexName = 'jobs_index.json';

/**
 * Watches `<jobs-dir>/<name>/` (files and one level below) and the job directories that
 * `jobs_index.json` names elsewhere: one inotify watch per folder (FolderWatches), each event
 * naming the file that changed, looked at once per turn of the event loop. A job's `logs` folder
 * is the exception: looked at on each tick (`lookAtPolled`), where its output is read anyway, not
 * heard on every line written. Where a watch cannot be set (inotify limits), it reopens everything
 * as chokidar's polling at `pollIntervalMs`, which polls every file, and says so.
 */
export class JobWatcher {
	mode: 'watch' | 'poll';
	private folders: FolderWatches | null = null;
	private poller: FSWatcher[] = [];
	/** Counts the openings: a poller still loading when another opening came is not started. */
	private openings = 0;
	private extraDirs: string[] = [];
	private opened = false;
	private closed = false;
	/** Files heard since the last look, with their marks when taken already: one look per file per turn of the event loop. */
	private touched = new Map<string, FileMark | null | undefined>();
	private readonly indexFile: string;
	/** The jobs directory and a separator, when the directory is written as path.resolve writes it: jobDirOf's fast path. */
	private readonly jobsPrefix: string | null;

	constructor(
		private readonly jobsDir: string,
		private readonly listener: WatchListener,
		private readonly pollIntervalMs: number,
		forcePolling = false,
	) {
		this.mode = forcePolling ? 'poll' : 'watch';
		this.indexFile = path.join(jobsDir, indexName);
		this.jobsPrefix = path.resolve(jobsDir) === jobsDir && jobsDir !== path.sep ? jobsDir + path.sep : null;
	}

	start(): void {
		this.open();
	}

	/** Job directories outside the jobs directory (from jobs_index.json) to watch as well. */
	setExtraDirs(dirs: string[]): void {
		const next = [...new Set(dirs)].filter(dir => this.jobDirOf(dir) === null).sort();
		if (next.join('\n') === this.extraDirs.join('\n')) return;
		const before = this.extraDirs;
		this.extraDirs = next;
		if (this.closed || !this.opened) return;
		if (this.folders) {
			for (const dir of before) if (!next.includes(dir)) this.folders.remove(dir);
			for (const dir of next) if (!before.includes(dir)) this.folders.add(dir, 1);
		} else {
			this.reopen();
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		this.folders?.close();
		this.folders = null;
		const poller = this.poller;
		this.poller = [];
		await Promise.all(poller.map(async watcher => watcher.close()));
	}

	/** Look at each job's `logs` folder now: what changed there is reported before this returns. */
	lookAtPolled(): void {
		if (!this.folders || this.closed) return;
		this.folders.look();
		this.lookAtTouched(true);
	}

	/** The job directory a path under the jobs directory belongs to, and the path inside it. */
	private jobDirOf(file: string): {dir: string; relative: string} | null {
		// What the watches report is joined from the jobs directory and names read from folders:
		// cut at the separators, as path.relative would, where no '.', '..' or '//' could make a difference.
		const prefix = this.jobsPrefix;
		if (prefix !== null && file.length > prefix.length && file.startsWith(prefix) && !file.includes(`${path.sep}.`, prefix.length - 1) && !file.includes(path.sep + path.sep) && !file.endsWith(path.sep)) {
			const cut = file.indexOf(path.sep, prefix.length);
			if (cut === -1) return {dir: file, relative: ''};
			return {dir: file.slice(0, cut), relative: file.slice(cut + 1)};
		}
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

	/** The sentinel's own files and folders (its state folder, a job's lock and backups): never watched. */
	private isOwn(file: string): boolean {
		const inJobs = this.jobDirOf(file);
		if (inJobs) return inJobs.relative === '' ? path.basename(inJobs.dir).startsWith('.sentinel') : isSentinelFile(inJobs.relative);
		const extra = this.extraDirOf(file);
		return extra ? isSentinelFile(extra.relative) : false;
	}

	private open(): void {
		this.opened = true;
		this.openings++;
		if (this.mode === 'watch') this.openWatches();
		else this.openPolling();
	}

	private openWatches(): void {
		const folders = new FolderWatches(
			{
				heard: (file, mark) => this.touch(file, mark),
				folderGone: folder => {
					const place = this.jobDirOf(folder) ?? this.extraDirOf(folder);
					if (place?.relative === '') this.listener.manifestRemoved(place.dir);
				},
				exhausted: code => this.fallBackToPolling(code),
				error: message => this.listener.error(message),
			},
			folder => !this.isOwn(folder),
			folder => (this.jobDirOf(folder) ?? this.extraDirOf(folder))?.relative === logsFolder,
		);
		this.folders = folders;
		folders.start([{folder: this.jobsDir, below: 2}, ...this.extraDirs.map(folder => ({folder, below: 1}))], () => {
			if (!this.closed && this.folders === folders) this.listener.ready();
		});
	}

	private touch(file: string, mark?: FileMark | null): void {
		if (this.touched.size === 0) setImmediate(this.lookAtTouched);
		this.touched.set(file, mark);
	}

	/**
	 * One lstat per file heard: a manifest there changed, one gone was removed; any file is
	 * activity. `now` when called by lookAtPolled: the marks taken are handed on with the activity.
	 */
	private lookAtTouched = (now?: boolean): void => {
		const files = this.touched;
		if (files.size === 0 || this.closed) return;
		this.touched = new Map();
		for (const [file, known] of files) {
			if (file === this.indexFile) {
				this.listener.indexChanged();
				continue;
			}
			const place = this.jobDirOf(file) ?? this.extraDirOf(file);
			if (!place || place.relative === '' || isSentinelFile(place.relative)) continue;
			const mark = known === undefined ? markOrNull(file) : known;
			if (place.relative === manifestName) {
				if (mark) this.listener.manifestChanged(place.dir);
				else this.listener.manifestRemoved(place.dir);
			}
			if (mark?.regular) this.listener.activity(place.dir, mark.mtimeMs, place.relative, now === true ? mark : undefined);
		}
	};

	private fallBackToPolling(code: string): void {
		if (this.closed || this.mode === 'poll') return;
		this.mode = 'poll';
		this.listener.modeChanged('poll', `file watches unavailable (${code}): polling every ${this.pollIntervalMs} ms instead`);
		// Not from inside the watch that failed: after the current turn.
		setImmediate(() => {
			if (!this.closed) this.reopen();
		});
	}

	private reopen(): void {
		this.folders?.close();
		this.folders = null;
		const old = this.poller;
		this.poller = [];
		for (const watcher of old) void watcher.close();
		this.open();
	}

	/** Polling, with chokidar: every file and folder, compared by its stats each interval. */
	private openPolling(): void {
		// chokidar is loaded only here: a sentinel that can watch never needs its code in memory.
		const opening = this.openings;
		void import('chokidar').then(({watch}) => {
			if (!this.closed && opening === this.openings) this.startPoller(watch);
		});
	}

	private startPoller(watch: typeof import('chokidar').watch): void {
		const options = {
			ignoreInitial: true,
			alwaysStat: true,
			followSymlinks: false,
			ignored: (file: string) => this.isOwn(file),
			usePolling: true,
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
			watcher.on('all', (event, file, stats) => this.polled(event, file, stats));
			watcher.on('error', error => {
				if (!this.closed) this.listener.error(`watching ${this.jobsDir}: ${(error as Error).message}`);
			});
		}
		this.poller = [jobs, ...extra];
	}

	private polled(event: string, file: string, stats?: Stats): void {
		if (file === this.indexFile) {
			this.listener.indexChanged();
			return;
		}
		const place = this.jobDirOf(file) ?? this.extraDirOf(file);
		if (place && event === 'addDir') {
			// Files written before the new directory was first polled: looked at once, as if heard.
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
	}
}
