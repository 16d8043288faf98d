import path from 'node:path';
import {SafeFolder} from '../sentinel-folder.js';

/** Evidence files kept per job (SPEC section 15): the oldest go when a new one is written. */
export const evidenceKept = 20;
/**
 * Old files removed at most per file written: the folder is the job's owner's to fill, and a
 * hundred thousand files named like evidence must not hold up the stop they are written before.
 */
const removedLimit = 64;
/** The largest evidence file written. */
export const evidenceLimitBytes = 1024 * 1024;

/** `<job-dir>/.sentinel/evidence`. */
export function evidenceFolder(jobDir: string): string {
	return path.join(jobDir, '.sentinel', 'evidence');
}

const namePattern = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-(?:recover|terminate)-[\w-]{1,64}\.json$/;

/** `<ts>-<action>-<action_id>.json`: names sort by time; an action id is cut to what a file name may safely hold. */
export function evidenceName(at: number, action: 'recover' | 'terminate', actionId: string): string {
	const id = actionId.replaceAll(/[^\w-]/g, '_').slice(0, 64) || 'unknown';
	return `${new Date(at).toISOString().replaceAll(':', '-')}-${action}-${id}.json`;
}

/** Whether `name` is an evidence file's (what retention may remove, and `log --evidence` may read). */
export function isEvidenceName(name: string): boolean {
	return namePattern.test(name);
}

/**
 * Write one evidence file into the job's `.sentinel/evidence` (made when missing, the job
 * directory's owner, never through a link), mode 0600, atomically (renamed into place, never
 * synced); then remove all but the newest `evidenceKept` (`removedLimit` of them at most).
 * Returns its path; throws a SentinelFileError saying why it could not be kept.
 */
export function writeEvidence(jobDir: string, name: string, text: string): string {
	return SafeFolder.use(path.join(jobDir, '.sentinel'), true, sentinel => {
		const folder = sentinel.folder('evidence', true, 0o600);
		try {
			// Not synced: it is written right before the first signal, and a hung job is often one
			// that floods the disk, where an fsync waits behind its writes for seconds.
			folder.writeFile(name, text, false);
			const kept = folder
				.list()
				.filter(entry => isEvidenceName(entry))
				.sort();
			for (const old of kept.slice(0, Math.min(removedLimit, Math.max(0, kept.length - evidenceKept)))) folder.remove(old);
			return folder.shown(name);
		} finally {
			folder.close();
		}
	});
}

/**
 * The bytes of an evidence file named by its path, read without following a link (never a FIFO or
 * a device); null when it is gone. It lies where the job's owner can write: one larger than any
 * the sentinel writes is refused unread, so neither `log --evidence` nor the dashboard (whose
 * process may hold kill rights) is made to read gigabytes.
 */
export function readEvidence(file: string): Buffer | null {
	const name = path.basename(file);
	const folder = path.dirname(file);
	if (!isEvidenceName(name) || path.basename(folder) !== 'evidence' || path.basename(path.dirname(folder)) !== '.sentinel') {
		throw new Error(`${file} is not an evidence file's path`);
	}
	return SafeFolder.use(path.dirname(folder), false, sentinel => {
		const evidence = sentinel.folder('evidence', false, 0o600);
		try {
			return evidence.readFile(name, evidenceLimitBytes);
		} finally {
			evidence.close();
		}
	});
}
