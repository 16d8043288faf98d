import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {SafeFolder, fsyncAside} from '../sentinel-folder.js';
import {fileError} from '../sentinel-file-error.js';

const {O_WRONLY, O_CREAT, O_EXCL} = fs.constants;

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

/** What an evidence file's name says: when it was taken, by which action. */
export function evidenceNameParts(name: string): {at: number; action: 'recover' | 'terminate'; actionId: string} | null {
	if (!isEvidenceName(name)) return null;
	const [date, time] = name.slice(0, 24).split('T') as [string, string];
	const rest = name.slice(25, -'.json'.length);
	const action = rest.startsWith('recover-') ? 'recover' : 'terminate';
	return {at: Date.parse(`${date}T${time.slice(0, 8).replaceAll('-', ':')}${time.slice(8)}`), action, actionId: rest.slice(action.length + 1)};
}

/** The evidence files' names in `folder`, oldest first (a name begins with the time it was taken). */
function evidenceNames(folder: SafeFolder): string[] {
	return folder
		.list()
		.filter(name => isEvidenceName(name))
		.sort();
}

/**
 * The job's evidence files, newest first, at most `evidenceKept` (a folder the job's owner filled
 * with more gives its newest): names only, no file read, never through a link. None when there is
 * no such folder, or it cannot be read.
 */
export function listEvidence(jobDir: string): string[] {
	try {
		return SafeFolder.use(path.join(jobDir, '.sentinel'), false, sentinel => {
			const folder = sentinel.folder('evidence', false, 0o600);
			try {
				return evidenceNames(folder)
					.slice(-evidenceKept)
					.reverse()
					.map(name => folder.shown(name));
			} finally {
				folder.close();
			}
		});
	} catch {
		return [];
	}
}

/** A file being written, named for the evidence it will become: never an evidence file's name, so never read or listed as one. */
const temporaryPattern = /^\d{4}-\d\d-\d\dT[\w.-]+\.json\.\d+\.[\da-f]{8}\.tmp$/;

function temporaryName(name: string): string {
	return `${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Open `<job-dir>/.sentinel/evidence` (made when missing, the job directory's owner, never through a link). */
function openEvidenceFolder(jobDir: string): SafeFolder {
	return SafeFolder.use(path.join(jobDir, '.sentinel'), true, sentinel => sentinel.folder('evidence', true, 0o600));
}

/** At most `removedLimit` of `names`, the first ones, removed. */
function removeSome(folder: SafeFolder, names: readonly string[]): void {
	for (const name of names.slice(0, removedLimit)) folder.remove(name);
}

/**
 * Write one evidence file into the job's `.sentinel/evidence`, mode 0600, in two steps. Now, before
 * the first signal: `text` goes to a temporary name in the folder, unsynced (a hung job is often
 * one flooding the disk, where an fsync waits behind its writes for seconds), and what a crash left
 * at such a name is removed (the caller holds the job's action lock: no other write is under way).
 * Then, off the event loop while the stop goes on: the file is synced, renamed to `name`, the folder
 * synced, and all but the newest `evidenceKept` removed (`removedLimit` at most). So `name` only ever
 * holds a whole file. The promise gives its path; a SentinelFileError (thrown now, or rejecting the
 * promise) says why it could not be kept.
 */
export function writeEvidence(jobDir: string, name: string, text: string): Promise<string> {
	const folder = openEvidenceFolder(jobDir);
	const temporary = temporaryName(name);
	let fd: number;
	try {
		removeSome(folder, folder.list().filter(entry => temporaryPattern.test(entry)));
		fd = folder.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL);
	} catch (error) {
		folder.close();
		throw error;
	}
	try {
		fs.writeFileSync(fd, text);
	} catch (error) {
		fs.closeSync(fd);
		folder.remove(temporary);
		folder.close();
		throw fileError('write', folder.shown(name), error);
	}
	return placeEvidence(folder, fd, temporary, name);
}

async function placeEvidence(folder: SafeFolder, fd: number, temporary: string, name: string): Promise<string> {
	try {
		try {
			await fsyncAside(fd);
		} finally {
			fs.closeSync(fd);
		}
		if (!folder.rename(temporary, name)) throw new Error('its temporary file is gone');
		await folder.syncAside();
	} catch (error) {
		folder.remove(temporary);
		folder.close();
		throw fileError('write', folder.shown(name), error);
	}
	// The file is in place and synced from here: failing to thin out older files does not make it
	// "not kept" in the result entry; the next write tries again.
	try {
		removeOlder(folder, name);
	} catch {
	} finally {
		folder.close();
	}
	return folder.shown(name);
}

/** All but the newest `evidenceKept` evidence files, never `kept` (the file just written, which the
 * result entry names: the folder is the job owner's to fill, and names dated later, planted or from
 * before a clock was set back, sort after it). */
function removeOlder(folder: SafeFolder, kept: string): void {
	const others = evidenceNames(folder).filter(name => name !== kept);
	removeSome(folder, others.slice(0, Math.max(0, others.length - (evidenceKept - 1))));
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
