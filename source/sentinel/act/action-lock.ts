import fs from 'node:fs';
import path from 'node:path';
import {tryLock, type HeldLock} from '../../jobs/file-lock.js';

/**
 * Held by every recover and terminate for its whole course (the `started` entry, the manifest
 * write, the stop and its grace period), automatic or manual, in whatever process: a dashboard,
 * a headless sentinel or an action command. The job's `.lock` is Logist's and is held only for a
 * manifest write, so it cannot say that a stop is still under way. Named `.sentinel*`, so it is
 * never the job's activity (jobs/activity-files.ts).
 */
export const actionLockName = '.sentinel-action.lock';

/** The refusal when another action holds the lock, in every interface's words. */
export const actionUnderWay = 'an action on this job is already under way';

/**
 * Try once, never waiting, to take the action lock of the job in `dir` (made, when missing, with
 * the directory's owner, as every file the sentinel makes there). Null when another action holds
 * it; throws when it cannot be taken at all (a link, no permission, no flock(1)).
 */
export async function takeActionLock(dir: string): Promise<HeldLock | null> {
	const {uid, gid} = fs.statSync(dir);
	return tryLock(path.join(dir, actionLockName), {uid, gid});
}
