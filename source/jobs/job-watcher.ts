import path from 'node:path';
import type {Stats} from 'node:fs';
import {watch, type FSWatcher} from 'chokidar';
import {isSentinelFile, manifestName} from './activity-files.js';

/** What the watcher reports; paths are absolute, `dir` is always a job directory. */
export type WatchListener = {
	manifestChanged: (dir: string) => void;
	manifestRemoved: (dir: string) => void;
	activity: (dir: string, mtimeMs: number) => void;
	indexChanged: () => void;
	/** Watching fell back to polling (inotify limits, network file systems), or came back. */
	modeChanged: (mode: 'watch' | 'poll', reason: string) => void;
	error: (message: string) => void;
};

const indexName = 'jobs_index.json';
const exhaustion = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * Watches `<jobs-dir>/<name>/` (files and one level below) and the job directories that
 * `jobs_index.json` names elsewhere, with chokidar. Where a watch cannot be set, it reopens
 * every watch as polling at `pollIntervalMs` and says so.
 */
export class JobWatcher {
	mode: 'watch' | 'poll';
	private watchers: FSWatcher[] = [];
	private extraDirs: string[] = [];
	private closed = false;

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

	private ignored = (file: string): boolean => {
		const inJobs = this.jobDirOf(file);
		if (inJobs) {
			// The jobs directory's own entries: job folders and jobs_index.json, not .sentinel/.
			if (inJobs.relative === '') return path.basename(inJobs.dir).startsWith('.sentinel');
			return isSentinelFile(inJobs.relative);
		}
		const extra = this.extraDirOf(file);
		return extra ? isSentinelFile(extra.relative) : false;
	};

	private handle = (event: string, file: string, stats?: Stats): void => {
		if (file === path.join(this.jobsDir, indexName)) {
			this.listener.indexChanged();
			return;
		}
		const place = this.jobDirOf(file) ?? this.extraDirOf(file);
		if (!place || place.relative === '') {
			if (place && event === 'unlinkDir') this.listener.manifestRemoved(place.dir);
			return;
		}
		if (place.relative === manifestName) {
			if (event === 'unlink') this.listener.manifestRemoved(place.dir);
			else if (event === 'add' || event === 'change') this.listener.manifestChanged(place.dir);
		}
		if ((event === 'add' || event === 'change') && stats?.isFile()) this.listener.activity(place.dir, stats.mtimeMs);
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
		const extra = this.extraDirs.length > 0 ? [watch(this.extraDirs, {...options, depth: 1})] : [];
		for (const watcher of [jobs, ...extra]) {
			watcher.on('all', (event, file, stats) => this.handle(event, file, stats));
			watcher.on('error', error => this.onError(error as NodeJS.ErrnoException));
		}
		this.watchers = [jobs, ...extra];
	}

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
