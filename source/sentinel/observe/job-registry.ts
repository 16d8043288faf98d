import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type {InvalidJob, JobRecord} from '../../types.js';
import {latestFileActivity} from '../../jobs/activity-files.js';
import {readJobsIndex} from '../../jobs/jobs-index.js';
import {manifestName} from '../../jobs/job-layout.js';
import {readManifestFile} from '../../jobs/read-manifest.js';
import {newJobState, type JobState} from '../job-state.js';

/** What a change in the registry means for the engine's events. */
export type RegistryListener = {
	added: (state: JobState) => void;
	removed: (state: JobState) => void;
	becameInvalid: (job: InvalidJob) => void;
	error: (message: string, dir?: string) => void;
};

/**
 * The set of known jobs: found by listing the jobs directory and jobs_index.json, kept fresh by
 * the watcher's events. A manifest that turns unreadable while its job was valid is probably
 * being written: it is read again later, and only reported invalid if it stays broken.
 */
export class JobRegistry {
	readonly states = new Map<string, JobState>();
	indexedDirs: string[] = [];
	/** Jobs discover has just read: the refreshChanged that follows it in the same turn need not stat them again. */
	private justRead = new Set<string>();
	/** The index's fault as last said, so a lasting one is said once. */
	private indexError: string | null = null;

	constructor(
		private readonly jobsDir: string,
		private readonly listener: RegistryListener,
		/** How long a once-valid manifest may stay unreadable before it is reported invalid. */
		private readonly brokenGraceMs: number,
		private readonly now: () => number,
	) {}

	/**
	 * List the jobs directory and the index; load what is new, drop what is gone. With `early`, new
	 * jobs are read `early.after` at a time, a turn of the event loop apart, and `early.show()` is
	 * called after the first batch (when more remain): the first look at a big directory shows its
	 * first jobs while the rest are read.
	 */
	async discover(early?: {after: number; show: () => void}): Promise<void> {
		const entries = await fs.readdir(this.jobsDir, {withFileTypes: true}).catch(() => []);
		const dirs = new Set<string>();
		// path.join(jobsDir, name) for every entry, without normalising the same prefix a thousand times.
		const prefix = path.join(this.jobsDir, 'x').slice(0, -1);
		for (const entry of entries) {
			if (entry.name.startsWith('.')) continue;
			if (entry.isDirectory() || entry.isSymbolicLink()) dirs.add(prefix + entry.name);
		}
		const index = await readJobsIndex(this.jobsDir);
		// Logist rewrites the index in place: a torn read keeps the jobs it named before. A lasting
		// fault is said once, not on every listing.
		if (index.error && index.error !== this.indexError) this.listener.error(`jobs_index.json: ${index.error}`);
		this.indexError = index.error;
		if (!index.error) this.indexedDirs = index.dirs;
		for (const dir of this.indexedDirs) dirs.add(dir);
		// One loop without a promise per job: reading a manifest is synchronous underneath.
		const fresh = [...dirs].filter(dir => !this.states.has(dir));
		const realJobsDir = realPath(this.jobsDir);
		for (const [index, dir] of fresh.entries()) {
			this.load(dir, realJobsDir);
			const loaded = index + 1;
			if (!early || loaded % early.after !== 0 || loaded === fresh.length) continue;
			if (loaded === early.after) early.show();
			// A turn between batches: the screen draws what was shown (Ink throttles its frames on a
			// timer), and the operator's keys are read, before the whole directory is.
			await new Promise(resolve => setImmediate(resolve));
		}
		// The tick's own refresh follows in this same turn of the event loop: only it may skip them.
		this.justRead = new Set(fresh);
		setImmediate(() => this.justRead.clear());
		for (const [dir, state] of this.states) {
			if (!dirs.has(dir) && !(await exists(path.join(dir, manifestName)))) this.remove(dir, state);
		}
	}

	/** Read a job's manifest again. Synchronous underneath, so two reads of one job never overlap. */
	async reload(dir: string): Promise<void> {
		this.load(dir);
	}

	/** Forget a job whose manifest or directory is gone. */
	forget(dir: string): void {
		const state = this.states.get(dir);
		if (state) this.remove(dir, state);
	}

	/** True when a known job's manifest was read half-written, or moved (mtime, size or inode) since it was last read whole. */
	unsettled(dir: string): boolean {
		const state = this.states.get(dir);
		if (!state) return false;
		return state.brokenSince !== null || signature(manifestStats(state.record.manifestPath)) !== state.manifestSignature;
	}

	/** Read again every manifest whose mtime, size or inode moved: a net under the watcher. */
	async refreshChanged(): Promise<void> {
		const justRead = this.justRead;
		this.justRead = new Set();
		const moved = [];
		for (const [dir, state] of this.states) {
			if (!justRead.has(dir) && signature(manifestStats(state.record.manifestPath)) !== state.manifestSignature) moved.push(dir);
		}
		for (const dir of moved) this.load(dir);
	}

	private load(dir: string, realJobsDir?: string): void {
		const known = this.states.get(dir);
		const {record, ownStats} = readManifestFile(dir, this.jobsDir, realJobsDir);
		// Opened by its own path, the file read is the manifest: its fstat is the lstat wanted here.
		const stats = ownStats ?? manifestStats(record.manifestPath);
		if (!stats) {
			// A directory without a manifest is not a job (yet); one that lost its manifest is gone.
			if (known) this.remove(dir, known);
			return;
		}
		if (!known) {
			// Just created and still empty: its writer's first write has not landed. Not a job yet,
			// as a folder without a manifest; that write, or the next listing, reads it again.
			if (stats !== unreadable && !record.valid && stats.size === 0 && Math.abs(Date.now() - stats.mtimeMs) < this.brokenGraceMs) return;
			const state = newJobState(record);
			state.manifestSignature = signature(stats);
			state.fileActivityMs = stats === unreadable ? null : latestFileActivity(dir, undefined, stats);
			this.states.set(dir, state);
			this.listener.added(state);
			if (!record.valid) this.listener.becameInvalid(record);
			return;
		}
		this.update(known, record);
		if (known.brokenSince === null) known.manifestSignature = signature(stats);
	}

	private update(state: JobState, record: JobRecord): void {
		const previous = state.record;
		if (!record.valid && previous.valid) {
			const now = this.now();
			state.brokenSince ??= now;
			if (now - state.brokenSince < this.brokenGraceMs) return;
		}
		state.brokenSince = null;
		state.record = record;
		if (!record.valid && (previous.valid || previous.error !== record.error)) this.listener.becameInvalid(record);
		if (record.valid && (!previous.valid || previous.pid !== record.pid)) {
			// Another process now: the old one's sample and CPU history say nothing about it.
			state.firstSeenPid = null;
			state.sample = null;
			state.cpuHistory = [];
		}
	}

	private remove(dir: string, state: JobState): void {
		this.states.delete(dir);
		this.listener.removed(state);
	}
}

/** A manifest behind a folder the sentinel cannot look into (no permission, a link loop). */
const unreadable = 'unreadable';

/**
 * Synchronous on purpose: one stat per job per tick, microseconds each, where a promise cost far
 * more. Never throws: a folder that cannot be looked into is one invalid job, not a failed tick.
 */
function manifestStats(manifestPath: string): fsSync.Stats | typeof unreadable | undefined {
	try {
		return fsSync.lstatSync(manifestPath, {throwIfNoEntry: false});
	} catch (error) {
		// A link to a file, or a name that is not a folder: nothing there that could be a job.
		return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? undefined : unreadable;
	}
}

/** mtime, size and inode: what moves when a manifest is written, in place or by rename. */
function signature(stats: fsSync.Stats | typeof unreadable | undefined): string {
	if (stats === unreadable) return unreadable;
	return stats ? `${stats.mtimeMs}:${stats.size}:${stats.ino}` : '';
}

function realPath(file: string): string | undefined {
	try {
		return fsSync.realpathSync.native(file);
	} catch {
		return undefined;
	}
}

async function exists(file: string): Promise<boolean> {
	return fs.lstat(file).then(
		() => true,
		() => false,
	);
}
