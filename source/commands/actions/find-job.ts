import path from 'node:path';
import type {JobView, Snapshot} from '../../sentinel/snapshot.js';

/**
 * The one job an action command names: by its `job_id`, else by its folder's name (what `ls`
 * shows). Two jobs by one name (a copied manifest, or folders of one name through
 * jobs_index.json) are not guessed between.
 */
export function findJob(snapshot: Snapshot, name: string): {view: JobView} | {problem: string} {
	const byId = snapshot.jobs.filter(view => view.job.jobId === name);
	const matches = byId.length > 0 ? byId : snapshot.jobs.filter(view => path.basename(view.job.dir) === name);
	if (matches.length === 1) return {view: matches[0]!};
	if (matches.length === 0) return {problem: `no job ${name} in ${snapshot.jobsDir} (by job_id or folder name)`};
	const dirs = matches.map(view => view.job.dir).sort();
	return {problem: `${name} names ${matches.length} jobs (${dirs.join(', ')}): nothing done`};
}
