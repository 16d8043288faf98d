import fs from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {sanitize} from '../text/sanitize.js';
import {manifestLimit} from './job-layout.js';
import {isJobDirName, readFileAtMost} from './read-manifest.js';

/** Logist's index of job directories, `<jobs-dir>/jobs_index.json`. */
export const jobsIndexName = 'jobs_index.json';

// Logist also keeps current_job_id and queue here; only `jobs` matters to the sentinel.
const jobsIndexSchema = z.looseObject({jobs: z.record(z.string(), z.unknown()).nullish()});
const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * The job directories Logist's `jobs_index.json` names beyond the ordinary `<jobs-dir>/<name>/`
 * (those the scan finds anyway are left out). A listed directory counts only when its path is
 * absolute and it is a directory owned by the owner of jobs_index.json, so nobody can enlist
 * another user's directories. No index: no directories, no error. A bad index, or one that is a
 * symbolic link (whose owner would say nothing): an error line.
 */
export async function readJobsIndex(jobsDir: string): Promise<{dirs: string[]; error: string | null}> {
	let jobs: Record<string, unknown>;
	let uid: number;
	try {
		const read = readFileAtMost(path.join(jobsDir, jobsIndexName), manifestLimit);
		if ('error' in read) return failed(`${jobsIndexName} ${read.error}`);
		const parsed = parseIndex(read.bytes);
		if (typeof parsed === 'string') return failed(`${jobsIndexName} ${parsed}`);
		jobs = parsed;
		uid = read.stats.uid;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {dirs: [], error: null};
		if (code === 'ELOOP') return failed(`${jobsIndexName} is a symbolic link`);
		return failed(`cannot read ${jobsIndexName}: ${code ?? (error as Error).message}`);
	}
	const scanned = await realpathOrNull(jobsDir);
	const dirs = new Set<string>();
	for (const listed of Object.values(jobs)) {
		if (typeof listed !== 'string' || !path.isAbsolute(listed)) continue;
		const dir = path.resolve(listed);
		const stats = await fs.promises.stat(dir).catch(() => null);
		if (!stats?.isDirectory() || stats.uid !== uid) continue;
		const parent = await realpathOrNull(path.dirname(dir));
		if (parent !== null && parent === scanned && isJobDirName(path.basename(dir))) continue;
		dirs.add(dir);
	}
	return {dirs: [...dirs], error: null};
}

// The listed directories, or what is wrong with the file.
function parseIndex(bytes: Buffer): Record<string, unknown> | string {
	let json: unknown;
	try {
		json = JSON.parse(utf8.decode(bytes));
	} catch (error) {
		return error instanceof SyntaxError ? `is not JSON: ${error.message}` : 'is not UTF-8 text';
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'is not a JSON object';
	const result = jobsIndexSchema.safeParse(json);
	return result.success ? (result.data.jobs ?? {}) : 'has a "jobs" that is not an object';
}

function failed(error: string): {dirs: string[]; error: string} {
	return {dirs: [], error: sanitize(error).slice(0, 300)};
}

async function realpathOrNull(file: string): Promise<string | null> {
	return fs.promises.realpath(file).catch(() => null);
}
