import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {contentKey} from './content-key.js';
import {tryLock} from './file-lock.js';
import {manifestLimit, manifestName} from './job-layout.js';

/** What became of one attempt to change a manifest. */
export type UpdateOutcome =
	| {outcome: 'written'; before: Record<string, unknown>; after: Record<string, unknown>}
	| {outcome: 'locked'}
	| {outcome: 'changed'}
	| {outcome: 'unchanged'; reason: string}
	| {outcome: 'failed'; error: string};

export type UpdateOptions = {
	/** contentKey of the bytes the decision was made on: if the manifest differs now, nothing is written. */
	expectedContentKey?: string;
	/** Read and decide, never lock or write: the outcome is 'unchanged' with a reason saying so. */
	dryRun?: boolean;
};

/** Every temporary file the sentinel makes starts with this, so watchers can ignore it. */
export const tempPrefix = '.sentinel-tmp-';

/** How many backups of a manifest are kept in `<job-dir>/.backups`. */
export const backupsKept = 5;

const backupName = /^job_manifest_(\d{8}_\d{6})(?:_(\d+))?\.json\.backup$/;

type Owner = {uid: number; gid: number};
type Current = {bytes: Buffer; manifest: Record<string, unknown>; uid: number; gid: number; mode: number};

/**
 * Change a job's manifest under its lock (`<job-dir>/.lock`, flock), never waiting for it.
 * Under the lock the manifest is read again; `change` gets a copy and returns the new manifest,
 * or null to leave it. The previous manifest is backed up to `.backups/`, then replaced atomically,
 * keeping its owner, group and mode and every field `change` did not touch.
 */
export async function updateManifest(
	manifestPath: string,
	change: (current: Record<string, unknown>) => Record<string, unknown> | null,
	options: UpdateOptions = {},
): Promise<UpdateOutcome> {
	const dir = path.dirname(manifestPath);
	let owner: Owner & {mode: number};
	try {
		owner = ownerOf(dir);
	} catch (error) {
		return failed(error);
	}
	// A dry run must leave the job directory as it found it, .lock included.
	if (options.dryRun) return decide(manifestPath, change, options, () => ({outcome: 'unchanged', reason: 'dry run: not written'}));

	let lock;
	try {
		lock = await tryLock(path.join(dir, '.lock'), owner);
	} catch (error) {
		return failed(error);
	}
	if (!lock) return {outcome: 'locked'};
	try {
		return decide(manifestPath, change, options, (current, after) => {
			backUp(dir, current, owner);
			writeAtomically(manifestPath, serialize(after), current);
			return {outcome: 'written', before: current.manifest, after};
		});
	} finally {
		lock.release();
	}
}

/**
 * Create a new job's manifest (for `sentinel-tui run`): the directory is made when missing and the
 * file appears whole or not at all. Throws when a manifest is already there.
 */
export async function createManifest(dir: string, manifest: Record<string, unknown>): Promise<void> {
	fs.mkdirSync(dir, {recursive: true});
	const target = path.join(dir, manifestName);
	const temp = writeTemp(dir, serialize(manifest), {...ownerOf(dir), mode: 0o644});
	try {
		// link(2) refuses to replace an existing file, so two runs cannot overwrite each other.
		fs.linkSync(temp, target);
	} finally {
		fs.rmSync(temp, {force: true});
	}
	syncDir(dir);
}

function decide(
	manifestPath: string,
	change: (current: Record<string, unknown>) => Record<string, unknown> | null,
	options: UpdateOptions,
	write: (current: Current, after: Record<string, unknown>) => UpdateOutcome,
): UpdateOutcome {
	try {
		const current = readCurrent(manifestPath);
		if (options.expectedContentKey !== undefined && contentKey(current.bytes) !== options.expectedContentKey) {
			return {outcome: 'changed'};
		}
		const after = change(structuredClone(current.manifest));
		if (after === null) return {outcome: 'unchanged', reason: 'nothing to change'};
		if (serialize(after) === serialize(current.manifest)) return {outcome: 'unchanged', reason: 'already as asked'};
		return write(current, after);
	} catch (error) {
		return failed(error);
	}
}

function readCurrent(manifestPath: string): Current {
	// O_NOFOLLOW: a link could lead outside the job directory, and rename would replace the link anyway.
	const fd = fs.openSync(manifestPath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) throw new Error('the manifest is not a regular file');
		if (stat.size > manifestLimit) throw new Error('the manifest is over 1 MiB');
		const bytes = fs.readFileSync(fd);
		const manifest: unknown = JSON.parse(bytes.toString('utf8'));
		if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
			throw new Error('the manifest is not a JSON object');
		}
		return {bytes, manifest: manifest as Record<string, unknown>, uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777};
	} finally {
		fs.closeSync(fd);
	}
}

function backUp(dir: string, current: Current, owner: Owner & {mode: number}): void {
	const backups = path.join(dir, '.backups');
	ensureDir(backups, owner);
	const stamp = localStamp(new Date());
	// After the last taken suffix, never a freed one: a pruned name reused would sort as the oldest.
	const sameSecond = listBackups(backups).filter(backup => backup.stamp === stamp);
	for (let n = sameSecond.length === 0 ? 0 : sameSecond.at(-1)!.n + 1; ; n++) {
		const file = path.join(backups, `job_manifest_${stamp}${n === 0 ? '' : `_${n}`}.json.backup`);
		let fd: number;
		try {
			// 'wx' never follows or replaces what is there, so a second backup in one second gets a suffix.
			fd = fs.openSync(file, 'wx', 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw error;
		}
		try {
			fs.writeFileSync(fd, current.bytes);
			chownIfNeeded(fd, owner);
			fs.fchmodSync(fd, current.mode & 0o777);
			fs.fsyncSync(fd);
		} catch (error) {
			fs.rmSync(file, {force: true});
			throw error;
		} finally {
			fs.closeSync(fd);
		}
		break;
	}
	prune(backups);
	syncDir(backups);
}

function prune(backups: string): void {
	const all = listBackups(backups);
	for (const old of all.slice(0, Math.max(0, all.length - backupsKept))) {
		try {
			fs.unlinkSync(path.join(backups, old.name));
		} catch {}
	}
}

/** The backups in `dir`, oldest first (by stamp, then suffix); other files are never touched. */
function listBackups(dir: string): {name: string; stamp: string; n: number}[] {
	const found = [];
	for (const name of fs.readdirSync(dir)) {
		const match = backupName.exec(name);
		if (match) found.push({name, stamp: match[1]!, n: Number(match[2] ?? 0)});
	}
	return found.sort((a, b) => (a.stamp === b.stamp ? a.n - b.n : a.stamp < b.stamp ? -1 : 1));
}

function writeAtomically(target: string, text: string, current: Current): void {
	const dir = path.dirname(target);
	const temp = writeTemp(dir, text, current);
	try {
		fs.renameSync(temp, target);
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw error;
	}
	syncDir(dir);
}

/** A synced temporary file in `dir` holding `text`, already carrying the final owner and mode. */
function writeTemp(dir: string, text: string, like: Owner & {mode: number}): string {
	const temp = path.join(dir, `${tempPrefix}${process.pid}-${randomBytes(6).toString('hex')}`);
	const fd = fs.openSync(temp, 'wx', 0o600);
	try {
		fs.writeFileSync(fd, text);
		chownIfNeeded(fd, like);
		// After chown, which clears set-id bits.
		fs.fchmodSync(fd, like.mode);
		fs.fsyncSync(fd);
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw error;
	} finally {
		fs.closeSync(fd);
	}
	return temp;
}

function chownIfNeeded(fd: number, owner: Owner): void {
	const stat = fs.fstatSync(fd);
	if (stat.uid === owner.uid && stat.gid === owner.gid) return;
	try {
		fs.fchownSync(fd, owner.uid, owner.gid);
	} catch (error) {
		// Writing anyway would hand someone else's manifest to us: refuse instead.
		throw new Error(`cannot keep owner ${owner.uid}:${owner.gid}: ${message(error)}`);
	}
}

function ensureDir(dir: string, {uid, gid, mode}: Owner & {mode: number}): void {
	try {
		fs.mkdirSync(dir, {mode});
		fs.chownSync(dir, uid, gid);
		fs.chmodSync(dir, mode);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
	// A planted link would send backups, and their pruning, outside the job directory.
	if (!fs.lstatSync(dir).isDirectory()) throw new Error(`${path.basename(dir)} is not a directory`);
}

function ownerOf(dir: string): Owner & {mode: number} {
	const stat = fs.statSync(dir);
	return {uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o777};
}

function syncDir(dir: string): void {
	const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

/** Local time, like Logist's own `datetime.now()` stamps, so backups line up with its history. */
function localStamp(date: Date): string {
	const two = (n: number) => String(n).padStart(2, '0');
	const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
	return `${day}_${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

function serialize(manifest: Record<string, unknown>): string {
	return JSON.stringify(manifest, null, 2) + '\n';
}

function failed(error: unknown): UpdateOutcome {
	return {outcome: 'failed', error: message(error)};
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
