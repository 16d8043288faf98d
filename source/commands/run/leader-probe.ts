import fs from 'node:fs';
import path from 'node:path';
import {spawn} from 'node:child_process';
import {sentinelFolderProblem} from '../../sentinel/act/sentinel-folder.js';

// flock(1) says 1 for its own errors too; a code of our own tells a held lock apart.
const heldCode = 75;

/** Where the acting sentinel of a jobs directory holds its flock. */
export function leaderLockPath(jobsDir: string): string {
	return path.join(jobsDir, '.sentinel', 'leader.lock');
}

/**
 * Whether a sentinel acts on `jobsDir`: true when someone holds the leader lock exclusively,
 * false when nobody does, null when it cannot be told (no flock(1)).
 */
export async function sentinelIsActing(jobsDir: string): Promise<boolean | null> {
	// A `.sentinel` that is a link (or no folder) is never followed: nobody can be told to act there.
	if (sentinelFolderProblem(jobsDir)) return null;
	let fd: number;
	try {
		// Opened, never created: a missing lock file means no sentinel ever acted here. Never
		// blocking: a FIFO planted as the lock must not hold up the job's start.
		fd = fs.openSync(leaderLockPath(jobsDir), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
	} catch {
		return false;
	}
	if (!fs.fstatSync(fd).isFile()) {
		fs.closeSync(fd);
		return null;
	}
	try {
		// A shared lock fails only against an exclusive one, so the probe never takes the lock
		// from a sentinel; a sentinel trying to take it in the same instant retries next tick.
		const code = await new Promise<number | null>(resolve => {
			const child = spawn('flock', ['--nonblock', '--shared', '--conflict-exit-code', String(heldCode), '3'], {stdio: ['ignore', 'ignore', 'ignore', fd]});
			child.once('error', () => resolve(null));
			child.once('exit', exitCode => resolve(exitCode));
		});
		return code === heldCode ? true : code === 0 ? false : null;
	} finally {
		// Our shared lock, if flock took it, lives on our open file: closing it lets go at once.
		fs.closeSync(fd);
	}
}
