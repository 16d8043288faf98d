import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import {type Owner, giveTo, makeFolder, openFolder, ownerOf, readAtMost} from './folder-files.js';
import {SentinelFileError, errnoOf, fileError, linkError} from './sentinel-file-error.js';

export {SentinelFileError} from './sentinel-file-error.js';

const {O_RDONLY, O_WRONLY, O_NOFOLLOW, O_NONBLOCK, O_CREAT, O_EXCL} = fs.constants;
/** fsync on libuv's thread pool. */
export const fsyncAside = promisify(fs.fsync);

/** `<jobs-dir>/.sentinel`, where the sentinels of a jobs directory keep what they share. */
export function sentinelFolder(jobsDir: string): string {
	return path.join(jobsDir, '.sentinel');
}

/**
 * A folder opened without following a link. Files in it are reached through its descriptor
 * (/proc/self/fd/N/name), so a link swapped in for the folder after it was opened leads nowhere,
 * and a file in it that is a link, a FIFO or a device is refused. What the sentinel makes in it
 * takes the folder's permissions and its owner; in `.sentinel` that is the jobs directory's owner,
 * so a root run leaves nothing a later run as the owner cannot use.
 */
export class SafeFolder {
	private constructor(
		readonly dir: string,
		private readonly fd: number,
		private readonly owner: Owner,
		private readonly fileMode: number,
	) {}

	/** Opens `dir`, making it when missing and `create` is set; throws a SentinelFileError. */
	static open(dir: string, create: boolean): SafeFolder {
		let fd: number;
		try {
			fd = openFolder(dir);
		} catch (error) {
			if (!create || errnoOf(error) !== 'ENOENT') throw error;
			makeFolder(dir);
			fd = openFolder(dir);
		}
		try {
			const stat = fs.fstatSync(fd);
			// `.sentinel` belongs to its jobs directory, even when an older root run made it root's.
			const owner = path.basename(dir) === '.sentinel' ? ownerOf(path.dirname(dir)) : {uid: stat.uid, gid: stat.gid};
			return new SafeFolder(dir, fd, owner, stat.mode & 0o664);
		} catch (error) {
			fs.closeSync(fd);
			throw fileError('open', dir, error);
		}
	}

	/** Runs `work` (synchronous) on the folder `dir`, closing it whatever happens. */
	static use<T>(dir: string, create: boolean, work: (folder: SafeFolder) => T): T {
		const folder = SafeFolder.open(dir, create);
		try {
			return work(folder);
		} finally {
			folder.close();
		}
	}

	/** The folder `name` in this one, never a link: made (mode 0700, this folder's owner) when missing and `create` is set; files made there get `fileMode`. */
	folder(name: string, create: boolean, fileMode: number): SafeFolder {
		const shown = this.shown(name);
		let made = false;
		try {
			if (create) made = (fs.mkdirSync(this.at(name), {mode: 0o700}), true);
		} catch (error) {
			if (errnoOf(error) !== 'EEXIST') throw fileError('create', shown, error);
		}
		const fd = openFolder(this.at(name), shown);
		try {
			if (made) giveTo(fd, this.owner, 0o700);
			return new SafeFolder(shown, fd, this.owner, fileMode);
		} catch (error) {
			fs.closeSync(fd);
			throw fileError('create', shown, error);
		}
	}

	/** The names in this folder. */
	list(): string[] {
		return fs.readdirSync(`/proc/self/fd/${this.fd}`);
	}

	/** `name` in this folder, as the operator knows it. */
	shown(name: string): string {
		return path.join(this.dir, name);
	}

	/**
	 * Opens the regular file `name` with `flags` (O_NOFOLLOW and O_NONBLOCK added: a planted FIFO
	 * must not stall the event loop). With O_CREAT, a file it makes takes the folder's owner and
	 * mode; with O_EXCL too, an existing file is an error.
	 */
	openFile(name: string, flags: number): number {
		const plain = (flags & ~(O_CREAT | O_EXCL)) | O_NOFOLLOW | O_NONBLOCK;
		if ((flags & O_CREAT) === 0) return this.openRegular(name, plain);
		for (let attempt = 1; ; attempt++) {
			const made = this.make(name, plain, (flags & O_EXCL) !== 0);
			if (made !== null) return made;
			try {
				return this.openRegular(name, plain);
			} catch (error) {
				// Removed between the two opens (another sentinel rotating it): make it again.
				if (errnoOf(error) !== 'ENOENT' || attempt >= 3) throw error;
			}
		}
	}

	/**
	 * The bytes of `name`, or null when there is no such file. With `maxBytes`, a larger file is
	 * refused, at most a byte past it read whatever its size said (it may be growing).
	 */
	readFile(name: string, maxBytes?: number): Buffer | null {
		let fd: number;
		try {
			fd = this.openFile(name, O_RDONLY);
		} catch (error) {
			if (errnoOf(error) === 'ENOENT') return null;
			throw error;
		}
		try {
			return maxBytes === undefined ? fs.readFileSync(fd) : readAtMost(fd, maxBytes);
		} catch (error) {
			throw fileError('read', this.shown(name), error);
		} finally {
			fs.closeSync(fd);
		}
	}

	/**
	 * Replaces `name` with `text` whole (temporary file, fsync, rename, the folder's fsync), never a
	 * link that is there (it is refused, so the operator sees it). Returns the new file's inode.
	 */
	writeFile(name: string, text: string): bigint {
		if (this.lstat(name)?.isSymbolicLink()) throw linkError(this.shown(name));
		const temporary = `${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		const fd = this.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL);
		let inode: bigint;
		try {
			fs.writeFileSync(fd, text);
			fs.fsyncSync(fd);
			inode = fs.fstatSync(fd, {bigint: true}).ino;
			fs.closeSync(fd);
			fs.renameSync(this.at(temporary), this.at(name));
		} catch (error) {
			try {
				fs.closeSync(fd);
			} catch {}
			this.remove(temporary);
			throw fileError('write', this.shown(name), error);
		}
		this.sync();
		return inode;
	}

	/** Renames `from` to `to` in this folder; false when there is no `from`. */
	rename(from: string, to: string): boolean {
		try {
			fs.renameSync(this.at(from), this.at(to));
			return true;
		} catch (error) {
			if (errnoOf(error) === 'ENOENT') return false;
			throw fileError('rename', this.shown(from), error);
		}
	}

	/** Removes `name` (a link itself, never what it leads to); nothing when it is gone already. */
	remove(name: string): void {
		try {
			fs.unlinkSync(this.at(name));
		} catch {}
	}

	/** What `name` is (a link is not followed), or undefined when there is none. */
	lstat(name: string): fs.BigIntStats | undefined {
		try {
			return fs.lstatSync(this.at(name), {bigint: true, throwIfNoEntry: false});
		} catch (error) {
			throw fileError('read', this.shown(name), error);
		}
	}

	close(): void {
		fs.closeSync(this.fd);
	}

	private at(name: string): string {
		return `/proc/self/fd/${this.fd}/${name}`;
	}

	/** A new file, given to the folder's owner; null when one is there already, unless `exclusive`. */
	private make(name: string, flags: number, exclusive: boolean): number | null {
		let fd: number;
		try {
			// O_EXCL, so only a file made here is given away, never one found here.
			fd = fs.openSync(this.at(name), flags | O_CREAT | O_EXCL, this.fileMode);
		} catch (error) {
			if (errnoOf(error) === 'EEXIST' && !exclusive) return null;
			throw fileError('create', this.shown(name), error);
		}
		try {
			giveTo(fd, this.owner, this.fileMode);
		} catch (error) {
			fs.closeSync(fd);
			this.remove(name);
			throw fileError('create', this.shown(name), error);
		}
		return fd;
	}

	private openRegular(name: string, flags: number): number {
		let fd: number;
		try {
			fd = fs.openSync(this.at(name), flags);
		} catch (error) {
			throw fileError('open', this.shown(name), error);
		}
		let regular = false;
		try {
			regular = fs.fstatSync(fd).isFile();
		} catch {}
		if (regular) return fd;
		fs.closeSync(fd);
		throw new SentinelFileError(`${this.shown(name)} is not a regular file`, this.shown(name));
	}

	/** A rename is durable once the folder is synced; a file system that cannot sync folders does without. */
	private sync(): void {
		try {
			fs.fsyncSync(this.fd);
		} catch {}
	}

	/** `sync`, off the event loop: for a write that must not hold up what runs meanwhile. */
	async syncAside(): Promise<void> {
		try {
			await fsyncAside(this.fd);
		} catch {}
	}
}

/**
 * Why `<jobs-dir>/.sentinel` cannot be used (a link, not a folder, unreadable), or null; a missing
 * one is fine, it is made when needed. For sentinels that never compete for the leader lock.
 */
export function sentinelFolderProblem(jobsDir: string): string | null {
	try {
		SafeFolder.open(sentinelFolder(jobsDir), false).close();
		return null;
	} catch (error) {
		return errnoOf(error) === 'ENOENT' ? null : (error as Error).message;
	}
}
