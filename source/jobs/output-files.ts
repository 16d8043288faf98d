import path from 'node:path';
import {directoryEntries, isSentinelFile, lstatOrNull} from './activity-files.js';

/** The folder of a job's output files (SPEC section 11). */
export const logsFolder = 'logs';

/** A file a job writes on purpose to say it is alive: every change is activity, whatever it holds. */
export function isHeartbeat(name: string): boolean {
	return name.toLowerCase().includes('heartbeat');
}

/**
 * Whether a file of a job directory (its path inside it) is an output file, whose lines are read
 * and judged rather than its writes counted: every file directly in `logs/` and every `*.log`
 * directly in the job directory, except heartbeats and the sentinel's own files.
 */
export function isOutputFile(relative: string): boolean {
	const slash = relative.indexOf(path.sep);
	const name = slash === -1 ? relative : relative.slice(slash + 1);
	if (slash === -1 ? !name.endsWith('.log') : relative.slice(0, slash) !== logsFolder || name.includes(path.sep)) return false;
	return name !== '' && !isHeartbeat(name) && !isSentinelFile(relative);
}

/** The output files of a job directory as its paths inside it, and why `logs` is not looked into when it is a link. */
export function listOutputFiles(dir: string): {files: string[]; logsLink: boolean} {
	const files = directoryEntries(dir).filter(name => isOutputFile(name));
	// readdir follows a link: `logs` that leads elsewhere is never listed, nor read.
	const logs = lstatOrNull(path.join(dir, logsFolder));
	if (logs?.isDirectory()) {
		for (const name of directoryEntries(path.join(dir, logsFolder))) {
			const relative = path.join(logsFolder, name);
			if (isOutputFile(relative)) files.push(relative);
		}
	}
	return {files, logsLink: logs?.isSymbolicLink() ?? false};
}
