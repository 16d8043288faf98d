import {listOutputFiles} from '../../../jobs/output-files.js';
import {LogsFolder} from '../../observe/logs-folder.js';
import {lookAt, newCursor, readBuffer} from '../../observe/output-file.js';
import {takeLines} from '../../observe/output-lines.js';
import {sanitize} from '../../../text/sanitize.js';
import {redactText} from './redact.js';

/** Lines kept of each output file (SPEC section 15). */
export const tailLines = 200;
/** Output files kept at most: a job that writes a thousand logs is described by some. */
const fileLimit = 32;

/** The end of one output file, as kept in an evidence file. */
export type OutputTail = {
	/** Its path inside the job directory. */
	file: string;
	/** Its last lines (at most `tailLines`, from its last 64 KiB), sanitised, secrets hidden. */
	lines: string[];
	/** Why it was not read (a link, a FIFO, no permission). */
	problem?: string;
};

/** The last lines of one file, read by the output follower's own reader (never a link, never a FIFO). */
function tailOf(file: string, shown: string): OutputTail {
	const cursor = newCursor(-1, 0, 0);
	const seen = lookAt(file, cursor);
	if (seen.kind === 'gone') return {file: shown, lines: [], problem: 'gone'};
	if (seen.kind === 'problem') return {file: shown, lines: [], problem: seen.problem};
	if (seen.kind === 'unchanged') return {file: shown, lines: []};
	const lines: string[] = [];
	takeLines(cursor, readBuffer, seen.length, seen.skipped, 0, 0, line => lines.push(line));
	// A last line not ended yet is part of the story too.
	if (cursor.pending) lines.push(cursor.pending.toString('utf8'));
	return {file: shown, lines: lines.slice(-tailLines).map(line => redactText(sanitize(line)))};
}

/**
 * The last lines of each output file of the job in `dir` (jobs/output-files.ts decides which),
 * opened as the follower opens them (observe/logs-folder.ts): a file of `logs/` through the
 * folder's descriptor, so a `logs` swapped for a link leads nowhere outside the job directory.
 */
export function outputTails(dir: string): OutputTail[] {
	const {files, logsLink} = listOutputFiles(dir);
	// The evidence names each file's problem itself; the folder's notes are for the follower's log.
	const notes = {logsLink, tell() {}};
	const folder = new LogsFolder();
	folder.begin(dir, notes);
	try {
		return files.slice(0, fileLimit).flatMap(relative => {
			const file = folder.path(relative);
			return file === null ? [] : [tailOf(file, relative)];
		});
	} finally {
		folder.close();
	}
}
