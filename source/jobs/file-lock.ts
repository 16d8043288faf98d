import fs from 'node:fs';
import {spawn} from 'node:child_process';

/** A held flock(2) lock; it lasts until `release()` or until this process dies. */
export type HeldLock = {
	file: string;
	release: () => void;
};

const heldHere = new Set<string>();

// flock(1) says 1 for its own errors too; a code of our own tells a held lock apart.
const heldCode = 75;

/** True when the lock was taken, false when it is held elsewhere; throws when flock(1) cannot run. */
function runFlock(fd: number): Promise<boolean> {
	// Node has no flock(2). flock(1) locks fd 3, which is our open file description, so the lock
	// stays ours after flock(1) exits, and Python's fcntl.flock (Logist) sees it.
	return new Promise((resolve, reject) => {
		const child = spawn('flock', ['--nonblock', '--exclusive', '--conflict-exit-code', String(heldCode), '3'], {
			stdio: ['ignore', 'ignore', 'ignore', fd],
		});
		child.once('error', error => reject(new Error(`flock(1) could not run: ${error.message}`)));
		child.once('exit', (code, signal) => {
			if (code === 0) resolve(true);
			else if (code === heldCode) resolve(false);
			// Taken for "held elsewhere", a missing or broken flock(1) would hide the problem forever.
			else reject(new Error(`flock(1) failed (${signal ?? `exit ${code}`})`));
		});
	});
}

/**
 * Try once to take an exclusive flock on the file open at `fd`, named `file` in messages. The lock
 * owns `fd` from then on: closed on release, or at once when the lock is held elsewhere (null) or
 * flock(1) cannot run (thrown). Never blocks.
 */
export async function lockOpenFile(fd: number, file: string): Promise<HeldLock | null> {
	let locked: boolean;
	try {
		locked = await runFlock(fd);
	} catch (error) {
		fs.closeSync(fd);
		throw error;
	}
	if (!locked) {
		fs.closeSync(fd);
		return null;
	}
	let released = false;
	return {
		file,
		release() {
			if (released) return;
			released = true;
			fs.closeSync(fd);
		},
	};
}

/**
 * Try once to take an exclusive flock on `file` (created if missing, owned like `ownerOf` when given).
 * Never blocks: resolves null when the lock is held elsewhere, in this process included.
 */
export async function tryLock(file: string, ownerOf?: {uid: number; gid: number}): Promise<HeldLock | null> {
	if (heldHere.has(file)) return null;
	heldHere.add(file);
	let lock: HeldLock | null;
	try {
		const existed = fs.existsSync(file);
		// O_NOFOLLOW: a job owner could plant `.lock` as a link to a file a root sentinel must not touch.
		const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o644);
		try {
			if (!existed && ownerOf) fs.fchownSync(fd, ownerOf.uid, ownerOf.gid);
		} catch (error) {
			fs.closeSync(fd);
			throw error;
		}
		lock = await lockOpenFile(fd, file);
	} catch (error) {
		heldHere.delete(file);
		// O_NOFOLLOW answers a link with ELOOP ("too many symbolic links"): say what it is.
		if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${file} is a symbolic link: never followed`);
		throw error;
	}
	if (!lock) {
		heldHere.delete(file);
		return null;
	}
	const {release} = lock;
	let released = false;
	return {
		file,
		release() {
			if (released) return;
			released = true;
			heldHere.delete(file);
			release();
		},
	};
}
