import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {lockOpenFile, type HeldLock} from '../../jobs/file-lock.js';
import {SafeFolder, sentinelFolder} from './sentinel-folder.js';

/** The sentinel that acts on a jobs directory. */
export type LeaderInfo = {pid: number; host: string};

const leaderSchema = z.object({
	pid: z.number().int().positive(),
	host: z.string(),
	// Start time of the holder in clock ticks (/proc/<pid>/stat), so a reused pid is not taken for it.
	start: z.string().nullable().default(null),
	since: z.string().optional(),
});

function startTicks(pid: number): string | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const {O_RDWR, O_CREAT} = fs.constants;

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * One actor per jobs directory: only the holder of `<jobs-dir>/.sentinel/leader.lock` (flock)
 * acts automatically. The kernel drops the lock when the holder dies, so another sentinel's next
 * `tryAcquire` succeeds. The holder names itself in `leader.json` for observers. Nothing here
 * follows a link: a `.sentinel` or `leader.lock` that is one keeps this sentinel out of the
 * election, and `problem` says why.
 */
export class LeaderLock {
	readonly folder: string;
	readonly lockFile: string;
	readonly infoFile: string;
	private lock: HeldLock | null = null;
	/** The held lock file's device and inode, to tell it from a new file at the same path. */
	private lockIdentity: {dev: bigint; ino: bigint} | null = null;
	/** The inode of the leader.json this instance wrote: it removes no successor's. */
	private infoInode: bigint | null = null;
	private lastProblem: string | null = null;
	private acquiring: Promise<boolean> | null = null;

	constructor(readonly jobsDir: string) {
		this.folder = sentinelFolder(jobsDir);
		this.lockFile = path.join(this.folder, 'leader.lock');
		this.infoFile = path.join(this.folder, 'leader.json');
	}

	/** True while this instance holds the lock (as of the last `tryAcquire` or `stillHeld`). */
	get held(): boolean {
		return this.lock !== null;
	}

	/**
	 * Why this sentinel cannot take part in the election, in one line (`.sentinel` or the lock file
	 * is a link, permission denied, a read-only file system, no flock(1)); null when it can, whether
	 * it holds the lock or another sentinel does. Set by each `tryAcquire`.
	 */
	get problem(): string | null {
		return this.lastProblem;
	}

	/**
	 * Takes the lock if it is free; true when this instance holds it. Never waits for it. While
	 * held, checks first that it is still the file at the path (`stillHeld`) and competes again
	 * when it is not. False with `problem` null: held elsewhere; with a `problem`: cannot take part.
	 */
	tryAcquire(): Promise<boolean> {
		this.acquiring ??= this.acquire().finally(() => {
			this.acquiring = null;
		});
		return this.acquiring;
	}

	/**
	 * Whether the lock held is still the file at the path. A jobs directory deleted and made again
	 * (or a `.sentinel` moved away) leaves the flock on a file no other sentinel opens: then the
	 * lock is dropped here, without touching the new directory's leader.json, and false returned;
	 * `tryAcquire` competes for the new file. Call it every tick while acting; cheap (two lstats).
	 */
	stillHeld(): boolean {
		if (!this.lock || !this.lockIdentity) return false;
		try {
			const folder = fs.lstatSync(this.folder);
			const file = fs.lstatSync(this.lockFile, {bigint: true});
			if (folder.isDirectory() && file.dev === this.lockIdentity.dev && file.ino === this.lockIdentity.ino) return true;
		} catch {}
		this.drop();
		return false;
	}

	/** Gives the lock up (automatic action off, or quitting). */
	release(): void {
		if (!this.lock) return;
		if (this.stillHeld()) {
			try {
				SafeFolder.use(this.folder, false, folder => {
					if (folder.lstat('leader.json')?.ino === this.infoInode) folder.remove('leader.json');
				});
			} catch {}
		}
		this.drop();
	}

	/** The sentinel that acts, as far as can be told; null when none does. */
	holder(): LeaderInfo | null {
		if (this.lock) return {pid: process.pid, host: os.hostname()};
		const info = this.readInfo();
		if (!info) return null;
		// On this host a dead holder, or its pid taken by another process, is told apart; elsewhere the file is trusted.
		if (info.host === os.hostname()) {
			if (!isRunning(info.pid)) return null;
			if (info.start !== null && startTicks(info.pid) !== null && startTicks(info.pid) !== info.start) return null;
		}
		return {pid: info.pid, host: info.host};
	}

	private async acquire(): Promise<boolean> {
		if (this.stillHeld()) {
			// Someone removed leader.json: observers should still see who acts.
			if (this.infoInode === null || this.infoLstat()?.ino !== this.infoInode) this.writeInfo();
			return true;
		}
		let fd: number;
		let identity: {dev: bigint; ino: bigint};
		try {
			[fd, identity] = SafeFolder.use(this.folder, true, folder => {
				const opened = folder.openFile('leader.lock', O_RDWR | O_CREAT);
				try {
					const stat = fs.fstatSync(opened, {bigint: true});
					return [opened, {dev: stat.dev, ino: stat.ino}] as const;
				} catch (error) {
					fs.closeSync(opened);
					throw error;
				}
			});
		} catch (error) {
			this.lastProblem = message(error);
			return false;
		}
		try {
			this.lock = await lockOpenFile(fd, this.lockFile);
		} catch (error) {
			this.lastProblem = `cannot lock ${this.lockFile}: ${message(error)}`;
			return false;
		}
		this.lastProblem = null;
		if (!this.lock) return false;
		this.lockIdentity = identity;
		// The jobs directory may have been made again while flock(1) ran: a lock on the old file is none.
		if (!this.stillHeld()) return false;
		this.writeInfo();
		return true;
	}

	/** Lets the lock go without a word to leader.json, which may be a successor's by now. */
	private drop(): void {
		this.lock?.release();
		this.lock = null;
		this.lockIdentity = null;
		this.infoInode = null;
	}

	private infoLstat(): fs.BigIntStats | undefined {
		try {
			return SafeFolder.use(this.folder, false, folder => folder.lstat('leader.json'));
		} catch {
			return undefined;
		}
	}

	private readInfo(): z.infer<typeof leaderSchema> | null {
		try {
			const bytes = SafeFolder.use(this.folder, false, folder => folder.readFile('leader.json'));
			const result = bytes ? leaderSchema.safeParse(JSON.parse(bytes.toString('utf8'))) : null;
			return result?.success ? result.data : null;
		} catch {
			return null;
		}
	}

	private writeInfo(): void {
		const info = {pid: process.pid, host: os.hostname(), start: startTicks(process.pid), since: new Date().toISOString()};
		try {
			this.infoInode = SafeFolder.use(this.folder, false, folder => folder.writeFile('leader.json', `${JSON.stringify(info)}\n`));
		} catch {
			// Observers then show no holder; acting does not depend on this file.
			this.infoInode = null;
		}
	}
}
