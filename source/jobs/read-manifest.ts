// Decisions where SPEC section 2 is silent:
// - Invalid when a field the sentinel acts on has the wrong type: job_id, status, process_id / pid /
//   metadata.pid (each one present must be an integer > 1; the first present is the pid),
//   process_start, role, sentinel, metadata, history, phases.
// - Invalid when status is missing or empty ("no status"), or holds control characters.
// - Invalid on an unknown role: guessing could apply the wrong timeout.
// - Lenient where the sentinel only displays or searches: description, objective and command of
//   another type show as nothing; unreadable activity stamps, history and phases entries that are
//   not objects, and a current_phase of another type are ignored.
// - Every string shown is sanitized; an invalid job is named by its directory, whatever it says.
import fs from 'node:fs';
import path from 'node:path';
import type {InvalidJob, JobRecord, Role} from '../types.js';
import {sanitize} from '../text/sanitize.js';
import {contentKey} from './content-key.js';
import {manifestLimit, manifestName} from './job-layout.js';
import {nestsDeeperThan} from './json-depth.js';
import {manifestSchema} from './manifest-schema.js';
import {parseStamp} from './timestamps.js';

/** Manifests nesting arrays and objects deeper than this are invalid (SPEC section 2). */
export const nestingLimit = 64;

/** What the file system says about a manifest, next to its bytes. */
export type ManifestFacts = {dir: string; manifestPath: string; mtimeMs: number; uid: number; gid: number};

/** A directory name that can hold a job: hidden ones (`.sentinel`, `.backups`) never do. */
export function isJobDirName(name: string): boolean {
	return name.length > 0 && !name.startsWith('.');
}

/** A job's record from its manifest's bytes. Pure and total: anything wrong makes an invalid job. */
export function parseManifest(bytes: Buffer, facts: ManifestFacts): JobRecord {
	try {
		return readFields(bytes, facts);
	} catch (error) {
		return invalid(facts, `cannot read the manifest: ${(error as Error)?.message ?? String(error)}`);
	}
}

/**
 * Read `<dir>/job_manifest.json`. It must lead, through any links, to a file inside `jobsDir`; for
 * a job directory outside the jobs directory (one named by jobs_index.json), inside that directory.
 * Never throws: a manifest that cannot be read or validated makes an invalid job.
 */
export async function readManifest(dir: string, jobsDir: string): Promise<JobRecord> {
	return readManifestFile(dir, jobsDir).record;
}

/** A manifest as read, and the file's stats when it was opened by its own path (no link on the way). */
export type ManifestRead = {record: JobRecord; ownStats: fs.Stats | null};

/**
 * readManifest without the promise, for the registry reading 1,000 manifests in one loop: a few
 * microseconds of local disk each, where a promise per manifest cost more than the reading.
 * `realJobsDir` is the jobs directory's real path when the caller has just resolved it for a pass.
 */
export function readManifestFile(dir: string, jobsDir: string, realJobsDir?: string): ManifestRead {
	const manifestPath = path.join(dir, manifestName);
	const where = {dir, manifestPath};
	// Decided on the path as written, so a link in the jobs directory cannot lead out of it.
	const inJobsDir = isInside(path.resolve(dir), resolvedJobsDir(jobsDir));
	const root = inJobsDir ? jobsDir : dir;
	try {
		// The native realpath: resolved in libc, where the JavaScript one lstats each component itself.
		const realRoot = (inJobsDir ? realJobsDir : undefined) ?? fs.realpathSync.native(root);
		const realManifest = fs.realpathSync.native(manifestPath);
		if (!isInside(realManifest, realRoot)) {
			return {record: invalid(where, `${manifestName} leads outside ${root === jobsDir ? 'the jobs directory' : 'its job directory'}`), ownStats: null};
		}
		const read = readFileAtMost(realManifest, manifestLimit);
		const ownStats = realManifest === manifestPath ? (read.stats ?? null) : null;
		if ('error' in read) return {record: invalid(where, `${manifestName} ${read.error}`), ownStats};
		const {bytes, stats} = read;
		return {record: parseManifest(bytes, {...where, mtimeMs: stats.mtimeMs, uid: stats.uid, gid: stats.gid}), ownStats};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {record: invalid(where, `no ${manifestName}`), ownStats: null};
		const why = unreadableWhy[code ?? ''];
		return {record: invalid(where, why ?? `cannot read ${manifestName}: ${code ?? (error as Error).message}`), ownStats: null};
	}
}

/** A file's bytes and stats, or what is wrong with it (with its stats when it was opened). */
export type FileRead = {bytes: Buffer; stats: fs.Stats} | {error: string; stats?: fs.Stats};

/**
 * Read a regular file of at most `limit` bytes, checking the size before reading. A FIFO or a
 * device never blocks or streams forever: they are refused from fstat, before any read.
 */
export function readFileAtMost(file: string, limit: number): FileRead {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
	try {
		const stats = fs.fstatSync(fd);
		if (!stats.isFile()) return {error: 'is not a regular file', stats};
		if (stats.size > limit) return {error: `is over ${limit / 2 ** 20} MiB (${stats.size} bytes)`, stats};
		// The file may grow between fstat and read: read at most limit + 1 bytes to notice.
		let buffer = Buffer.allocUnsafe(stats.size + 1);
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				if (length > limit) return {error: `is over ${limit / 2 ** 20} MiB`, stats};
				const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
				buffer.copy(bigger, 0, 0, length);
				buffer = bigger;
			}
			const bytesRead = fs.readSync(fd, buffer, length, buffer.length - length, length);
			if (bytesRead === 0) return {bytes: buffer.subarray(0, length), stats};
			length += bytesRead;
		}
	} finally {
		fs.closeSync(fd);
	}
}

/** What an operator needs to hear about a job folder that cannot be looked into. */
const unreadableWhy: Record<string, string> = {
	ELOOP: 'a link loop: it leads nowhere',
	EACCES: 'its folder cannot be read (permission denied)',
	EPERM: 'its folder cannot be read (operation not permitted)',
	ENAMETOOLONG: 'its path is too long to read',
};

let lastJobsDir = {given: '', resolved: ''};

// The same jobs directory for every manifest of a pass: resolved once (absolute ones do not depend on the cwd).
function resolvedJobsDir(jobsDir: string): string {
	if (jobsDir !== lastJobsDir.given) {
		const resolved = path.resolve(jobsDir);
		if (!path.isAbsolute(jobsDir)) return resolved;
		lastJobsDir = {given: jobsDir, resolved};
	}
	return lastJobsDir.resolved;
}

// Both absolute and normalized (resolved or real paths): a prefix ending at a separator says it.
function isInside(file: string, root: string): boolean {
	const prefix = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
	return file.length > prefix.length && file.startsWith(prefix);
}

function dirJobId(dir: string): string {
	return sanitize(path.basename(dir)) || '?';
}

function invalid(where: {dir: string; manifestPath: string}, error: string): InvalidJob {
	// One line, safe for a terminal, and short even when JSON.parse quotes the file back.
	const line = sanitize(error).slice(0, 300) || 'invalid manifest';
	return {valid: false, jobId: dirJobId(where.dir), dir: where.dir, manifestPath: where.manifestPath, error: line};
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

function readFields(bytes: Buffer, facts: ManifestFacts): JobRecord {
	if (bytes.length > manifestLimit) return invalid(facts, `${manifestName} is over 1 MiB (${bytes.length} bytes)`);
	if (bytes.length === 0) return invalid(facts, `${manifestName} is empty`);
	if (bytes.includes(0)) return invalid(facts, `${manifestName} is binary, not JSON`);
	let text: string;
	try {
		text = utf8.decode(bytes);
	} catch {
		return invalid(facts, `${manifestName} is not UTF-8 text`);
	}
	if (nestsDeeperThan(text, nestingLimit)) return invalid(facts, `${manifestName} nests deeper than ${nestingLimit} levels`);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		return invalid(facts, `${manifestName} is not JSON: ${(error as Error).message}`);
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return invalid(facts, `${manifestName} is not a JSON object`);
	}
	const result = manifestSchema.safeParse(json);
	if (!result.success) {
		const issue = result.error.issues[0];
		return invalid(facts, `${issue?.path.join('.') || 'manifest'} ${issue?.message ?? 'is invalid'}`);
	}
	const manifest = result.data;
	// Fields only shown or searched: read leniently, straight from the JSON.
	const fields = json as Record<string, unknown>;
	const status = manifest.status ?? '';
	if (status.trim() === '') return invalid(facts, 'no status');
	if (sanitize(status) !== status) return invalid(facts, 'status holds control characters');
	return {
		valid: true,
		jobId: sanitize(manifest.job_id ?? '').trim() || dirJobId(facts.dir),
		dir: facts.dir,
		manifestPath: facts.manifestPath,
		status,
		role: manifest.role ?? inferRole(status, fields['current_phase'], manifest.phases ?? []),
		pid: manifest.process_id ?? manifest.pid ?? manifest.metadata?.pid ?? null,
		processStartMs: manifest.process_start ?? null,
		description: sanitize(firstText(fields['description'], fields['objective'])),
		command: readCommand(fields['command']),
		latestStampMs: latestStamp(fields, manifest.history ?? []),
		overrides: manifest.sentinel ?? {},
		manifestMtimeMs: facts.mtimeMs,
		ownerUid: facts.uid,
		ownerGid: facts.gid,
		contentKey: contentKey(bytes),
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstText(...values: unknown[]): string {
	return (values.find(value => typeof value === 'string' && value !== '') as string | undefined) ?? '';
}

// `sentinel-tui run` may write the command as one string or as its argv.
function readCommand(command: unknown): string | null {
	if (typeof command === 'string') return sanitize(command);
	if (Array.isArray(command) && command.every(part => typeof part === 'string')) return sanitize(command.join(' '));
	return null;
}

function inferRole(status: string, currentPhase: unknown, phases: unknown[]): Role {
	if (status.toUpperCase() === 'REVIEWING') return 'supervisor';
	const agent = activeAgent(currentPhase, phases);
	return typeof agent === 'string' && agent.trim().toLowerCase() === 'supervisor' ? 'supervisor' : 'worker';
}

// Logist names the current phase; the phase itself, in `phases`, says who works on it.
function activeAgent(currentPhase: unknown, phases: unknown[]): unknown {
	let name = currentPhase;
	if (isRecord(currentPhase)) {
		if (currentPhase['active_agent'] != null) return currentPhase['active_agent'];
		name = currentPhase['name'];
	}
	if (typeof name !== 'string') return undefined;
	const phase = phases.find(entry => isRecord(entry) && entry['name'] === name);
	return isRecord(phase) ? phase['active_agent'] : undefined;
}

function latestStamp(fields: Record<string, unknown>, history: unknown[]): number | null {
	const stamps: unknown[] = [fields['last_activity'], fields['heartbeat_at'], fields['updated_at']];
	for (const entry of history) {
		if (!isRecord(entry)) continue;
		// The sentinel's own entries are not the job's activity.
		if (typeof entry['event'] === 'string' && entry['event'].startsWith('SENTINEL_')) continue;
		stamps.push(entry['timestamp']);
	}
	let latest: number | null = null;
	for (const stamp of stamps) {
		const ms = parseStamp(stamp);
		if (ms !== null && (latest === null || ms > latest)) latest = ms;
	}
	return latest;
}
