import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {lockOpenFile, type HeldLock} from '../../jobs/file-lock.js';
import {SafeFolder, sentinelFolder} from './sentinel-folder.js';
import type {ActionName} from '../../types.js';

const hourMs = 60 * 60 * 1000;
// A sentinel never waits long for another one's write: a few short tries, then the next change.
const lockRetryDelaysMs = [0, 5, 10, 20, 40];

// Loose objects keep fields a newer sentinel may have written.
const interventionSchema = z.looseObject({
	job_id: z.string(),
	action: z.enum(['recover', 'terminate']),
	at: z.iso.datetime({offset: true}),
	action_id: z.string().optional(),
});
const stateSchema = z.looseObject({
	version: z.literal(1).default(1),
	interventions: z.array(interventionSchema).default([]),
	paused: z.array(z.string()).default([]),
});

type State = z.infer<typeof stateSchema>;
type Change = (state: State) => void;

/** An automatic action that counts against the hourly limit. */
export type CountedAction = Exclude<ActionName, 'notify'>;

export type StateStoreOptions = {
	/** The clock used to forget interventions older than an hour; injectable for tests. */
	now?: () => number;
	/** Told when state.json cannot be read or written (the store carries on). */
	onProblem?: (message: string) => void;
};

/** `<jobs-dir>/.sentinel/state.json`. */
export function stateFile(jobsDir: string): string {
	return path.join(sentinelFolder(jobsDir), 'state.json');
}

function emptyState(): State {
	return {version: 1, interventions: [], paused: []};
}

/**
 * What the sentinels of one jobs directory remember across restarts: automatic interventions of
 * the last hour (the hourly limit, the fourth-recovery rule) and paused jobs. Shared by every
 * sentinel on the directory: each change is applied to a fresh read of the file under
 * `state.lock`, so no sentinel loses another's counts. Nothing is read or written through a link
 * (a `.sentinel` or a file in it that is one): `problem` and `onProblem` name it.
 */
export class StateStore {
	private fileState: State = emptyState();
	private view: State = emptyState();
	private pending: Change[] = [];
	private writes: Promise<boolean> = Promise.resolve(true);
	private loadedKey = '';
	private lastProblem: string | null = null;
	private readonly now: () => number;
	private readonly folder: string;
	private readonly name: string;
	private readonly lockFile: string;

	constructor(readonly file: string, private readonly options: StateStoreOptions = {}) {
		this.now = options.now ?? Date.now;
		this.folder = path.dirname(file);
		this.name = path.basename(file);
		this.lockFile = path.join(this.folder, 'state.lock');
	}

	/** Why the file could not be read or written last time, or null. */
	get problem(): string | null {
		return this.lastProblem;
	}

	/** Reads the file again when it changed (cheap when it did not): call it every tick. */
	load(): void {
		let key: string;
		try {
			const stat = SafeFolder.use(this.folder, false, folder => folder.lstat(this.name));
			key = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.isSymbolicLink()}` : 'missing';
		} catch (error) {
			// A folder that is a link is read (and refused, said) once, not every tick.
			key = (error as {code?: string}).code === 'ENOENT' ? 'missing' : `unusable:${(error as Error).message}`;
		}
		if (key === this.loadedKey) return;
		this.loadedKey = key;
		this.fileState = this.read();
		this.refreshView();
	}

	/** Automatic recover/terminate actions since `sinceMs` (epoch ms), by every sentinel. */
	interventionsSince(sinceMs: number): number {
		return this.view.interventions.filter(item => Date.parse(item.at) >= sinceMs).length;
	}

	/** Automatic recoveries of one job since `sinceMs` (epoch ms). */
	recoveriesSince(jobId: string, sinceMs: number): number {
		return this.view.interventions.filter(item => item.job_id === jobId && item.action === 'recover' && Date.parse(item.at) >= sinceMs).length;
	}

	/**
	 * Counts an automatic action at `at` (epoch ms); an `actionId` already counted is not counted
	 * again (a sentinel finishing another's `started` action). Seen by this store at once; resolves
	 * true once it is on disk, false when it could not be written yet (retried with the next change
	 * or `flush`).
	 */
	recordIntervention(jobId: string, action: CountedAction, at: number, actionId?: string): Promise<boolean> {
		return this.change(state => {
			if (actionId && state.interventions.some(item => item.action_id === actionId)) return;
			state.interventions.push({job_id: jobId, action, at: new Date(at).toISOString(), ...(actionId ? {action_id: actionId} : {})});
		});
	}

	/** Whether automatic action on a job is paused (by any sentinel). */
	isPaused(jobId: string): boolean {
		return this.view.paused.includes(jobId);
	}

	/** Pauses or resumes automatic action on a job, for every sentinel; see recordIntervention. */
	setPaused(jobId: string, paused: boolean): Promise<boolean> {
		return this.change(state => {
			state.paused = state.paused.filter(id => id !== jobId);
			if (paused) state.paused.push(jobId);
		});
	}

	/** Forgets interventions older than an hour before `now`; every write does this too. */
	prune(now: number): void {
		const keep = (state: State) => {
			state.interventions = state.interventions.filter(item => Date.parse(item.at) > now - hourMs);
		};
		keep(this.fileState);
		keep(this.view);
	}

	/** Writes changes that could not be written yet; resolves true when none are left. */
	flush(): Promise<boolean> {
		this.writes = this.writes.then(() => this.write());
		return this.writes;
	}

	private change(apply: Change): Promise<boolean> {
		this.pending.push(apply);
		apply(this.view);
		return this.flush();
	}

	private refreshView(): void {
		this.view = structuredClone(this.fileState);
		for (const apply of this.pending) apply(this.view);
	}

	private read(): State {
		let text: string;
		try {
			const bytes = SafeFolder.use(this.folder, false, folder => folder.readFile(this.name));
			if (!bytes) return emptyState();
			text = bytes.toString('utf8');
		} catch (error) {
			if ((error as {code?: string}).code !== 'ENOENT') this.report(`cannot read ${this.file}: ${(error as Error).message}`);
			return emptyState();
		}
		let parsed: ReturnType<typeof stateSchema.safeParse>;
		try {
			parsed = stateSchema.safeParse(JSON.parse(text));
		} catch (error) {
			this.report(`${this.file} is not JSON (${(error as Error).message}): treated as empty`);
			return emptyState();
		}
		if (!parsed.success) {
			this.report(`${this.file} is not a sentinel state (${parsed.error.issues[0]?.message ?? 'wrong shape'}): treated as empty`);
			return emptyState();
		}
		return parsed.data;
	}

	private async write(): Promise<boolean> {
		if (this.pending.length === 0) return true;
		const batch = this.pending.length;
		const lock = await this.lock().catch((error: Error) => {
			this.report(`cannot lock ${this.lockFile}: ${error.message}`);
			return undefined;
		});
		if (lock === undefined) return false;
		if (!lock) {
			this.report(`${this.lockFile} is held by another sentinel: the change is kept and written later`);
			return false;
		}
		try {
			const state = this.read();
			for (const apply of this.pending.slice(0, batch)) apply(state);
			const cutoff = this.now() - hourMs;
			state.interventions = state.interventions.filter(item => Date.parse(item.at) > cutoff);
			SafeFolder.use(this.folder, true, folder => folder.writeFile(this.name, `${JSON.stringify(state, null, '\t')}\n`));
			this.pending = this.pending.slice(batch);
			this.fileState = state;
			this.loadedKey = '';
			this.refreshView();
			this.lastProblem = null;
			return this.pending.length === 0;
		} catch (error) {
			this.report(`cannot write ${this.file}: ${(error as Error).message}`);
			return false;
		} finally {
			lock.release();
		}
	}

	private async lock(): Promise<HeldLock | null> {
		for (const delay of lockRetryDelaysMs) {
			if (delay > 0) await new Promise(resolve => setTimeout(resolve, delay));
			// Opened afresh each try: a lock file that cannot be opened (a link, no permission) throws, and is said.
			const fd = SafeFolder.use(this.folder, true, folder => folder.openFile('state.lock', fs.constants.O_RDWR | fs.constants.O_CREAT));
			const lock = await lockOpenFile(fd, this.lockFile).catch(() => null);
			if (lock) return lock;
		}
		return null;
	}

	private report(message: string): void {
		this.lastProblem = message;
		this.options.onProblem?.(message);
	}
}
