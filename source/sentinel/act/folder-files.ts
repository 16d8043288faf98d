import fs from 'node:fs';
import path from 'node:path';
import {SentinelFileError, errnoOf, fileError, linkError} from './sentinel-file-error.js';

// The sentinel's own folders, opened and made without following a link, and what it makes in
// them given to the folder's owner: the pieces SafeFolder is built from.

const {O_RDONLY, O_DIRECTORY, O_NOFOLLOW} = fs.constants;

export type Owner = {uid: number; gid: number};

/** Gives what the sentinel made to `owner`, with exactly `mode` (whatever the umask). */
export function giveTo(fd: number, owner: Owner, mode: number): void {
	const stat = fs.fstatSync(fd);
	if (stat.uid !== owner.uid || stat.gid !== owner.gid) {
		try {
			fs.fchownSync(fd, owner.uid, owner.gid);
		} catch {
			// Only root gives files away. Another user's sentinel can still share through the group;
			// failing that, the file stays its own, as anything a user makes does.
			try {
				fs.fchownSync(fd, -1, owner.gid);
			} catch {}
		}
	}
	// After chown, which clears set-id bits.
	fs.fchmodSync(fd, mode);
}

export function ownerOf(dir: string): Owner & {mode: number} {
	const stat = fs.statSync(dir);
	// The sticky bit too: in a jobs directory like /tmp, users must not replace each other's files.
	return {uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o1777};
}

/** Opens the folder `dir` without following a link; errors name it as `shown`. */
export function openFolder(dir: string, shown = dir): number {
	try {
		return fs.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	} catch (error) {
		// O_DIRECTORY answers a link to a folder with ENOTDIR: tell the link apart, for the operator.
		if (errnoOf(error) === 'ENOTDIR' || errnoOf(error) === 'ELOOP') {
			let stat: fs.Stats | undefined;
			try {
				stat = fs.lstatSync(dir);
			} catch {}
			if (stat?.isSymbolicLink()) throw linkError(shown);
			if (stat) throw new SentinelFileError(`${shown} is not a folder`, shown, 'ENOTDIR');
		}
		throw fileError('open', shown, error);
	}
}

export function makeFolder(dir: string): void {
	const parent = path.dirname(dir);
	// `.sentinel` is made only inside its jobs directory: a jobs directory that is gone is not made
	// again here. A moved audit log's folders are made as `mkdir -p` would.
	if (path.basename(dir) !== '.sentinel' && parent !== dir && !fs.existsSync(parent)) makeFolder(parent);
	let like: Owner & {mode: number};
	try {
		// Never writable by others, whatever its parent allows (a jobs directory in /tmp is 1777):
		// anyone could forge the audit, the pauses or the hourly count otherwise.
		const parentOwner = ownerOf(parent);
		like = {...parentOwner, mode: parentOwner.mode & 0o775};
		fs.mkdirSync(dir, {mode: like.mode});
	} catch (error) {
		if (errnoOf(error) === 'EEXIST') return;
		throw fileError('create', dir, error);
	}
	// Opened again without following: a link swapped in since mkdir is refused here.
	const fd = openFolder(dir);
	try {
		giveTo(fd, like, like.mode);
	} catch (error) {
		throw fileError('create', dir, error);
	} finally {
		fs.closeSync(fd);
	}
}

/** All of the file open as `fd`, when it holds no more than `maxBytes`. */
export function readAtMost(fd: number, maxBytes: number): Buffer {
	const bytes = Buffer.alloc(maxBytes + 1);
	let length = 0;
	for (let read = 1; read > 0 && length < bytes.length; length += read) read = fs.readSync(fd, bytes, length, bytes.length - length, length);
	if (length > maxBytes) throw new Error(`larger than ${maxBytes} bytes: not read`);
	return bytes.subarray(0, length);
}
