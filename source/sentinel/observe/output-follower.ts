import path from 'node:path';
import {lstatOrNull} from '../../jobs/activity-files.js';
import type {FileMark} from '../../jobs/file-mark.js';
import {isOutputFile, listOutputFiles} from '../../jobs/output-files.js';
import type {JobRecord} from '../../types.js';
import {LineJudge} from '../judge/progress.js';
import type {JobState} from '../job-state.js';
import {LogsFolder, noteLogsLink} from './logs-folder.js';
import {KeptFiles, lookAt, lookKept, newCursor, readBuffer, type FileCursor} from './output-file.js';
import {flushHalfLine, takeLines} from './output-lines.js';

/** The follower's memory of one job, kept on its state (SPEC section 11). */
export type OutputMemory = {
	/** Each output file followed, by its path inside the job directory (a file heard since the last look is marked on its cursor). */
	readonly files: Map<string, FileCursor>;
	/** The job's recent lines, and its progress. */
	readonly judge: LineJudge;
	/** Output files heard changing since the last look that are not followed yet (new, or not to be read). */
	readonly heard: Set<string>;
	/** A half line is judged once it has waited this long. */
	readonly intervalMs: number;
	/** To be looked at on the next pass: heard, or holding a half line. */
	due: boolean;
	/** Says a notice about this job. */
	readonly tell: (message: string) => void;
	/** `logs` was found to be a link (said once). */
	logsLink: boolean;
	/** Where the descriptors of the files read are kept open between looks. */
	readonly kept: KeptFiles;
};

/** Which files a look reads: the ones heard (and half lines due), every one followed, or also any new one listed. */
type Which = 'heard' | 'followed' | 'listed';

/** A file not grown for this long has its descriptor closed (KeptFiles): it is opened again when it grows. */
const keptIdleMs = 60_000;

/**
 * Follows the output files of every job (SPEC section 11): a write heard there is not activity
 * by itself; each tick the files heard are read from where the last read ended, and only a line
 * that is not a repeat counts. Every 'everything' pass (the engine's stat net) looks at every file
 * followed, for writes the watcher missed.
 */
export class OutputFollower {
	/** The descriptors of the files read, kept open between looks. */
	private readonly kept = new KeptFiles();

	constructor(
		private readonly intervalMs: number,
		private readonly report: (message: string, job: JobRecord) => void,
	) {}

	/** Begin following a job: its output files as they are now are read from their ends. */
	attach(state: JobState): void {
		if (state.output) return;
		const memory: OutputMemory = {
			files: new Map(),
			judge: new LineJudge(state.progress),
			heard: new Set(),
			intervalMs: this.intervalMs,
			due: false,
			tell: message => this.report(`${state.record.jobId}: ${message}`, state.record),
			logsLink: false,
			kept: this.kept,
		};
		state.output = memory;
		const {files, logsLink} = listOutputFiles(state.record.dir);
		noteLogsLink(memory, logsLink);
		for (const relative of files) {
			const stats = lstatOrNull(path.join(state.record.dir, relative));
			if (stats?.isFile()) memory.files.set(relative, newCursor(stats.ino, stats.size, stats.mtimeMs));
			// A link or a FIFO: said on the next pass.
			else memory.heard.add(relative);
		}
		memory.due = memory.heard.size > 0;
	}

	/**
	 * A file of the job changed: true when it is an output file, read on the next pass rather than
	 * counted now. `mark`, its lstat taken by the tick's look just before that pass, is used there.
	 */
	heard(state: JobState, relative: string, mark?: FileMark): boolean {
		// A file followed already is an output file: asked first, as nearly every file heard is one.
		const cursor = state.output?.files.get(relative);
		if (cursor) {
			cursor.heard = true;
			cursor.looked = mark ?? null;
		} else {
			if (!isOutputFile(relative)) return false;
			this.attach(state);
			state.output!.heard.add(relative);
		}
		state.output!.due = true;
		return true;
	}

	/** One pass, before the tick's assessments: the jobs heard, or with `everything` every job. */
	follow(states: ReadonlyMap<string, JobState>, now: number, everything: boolean): void {
		// Loops, not forEach with an arrow: an arrow made afresh each tick is a new function, whose
		// compiled code (the whole look, inlined) V8 keeps only weakly, and compiled again after every
		// full collection. A flag on each job rather than a set of jobs due: a set made each tick was garbage.
		if (everything) {
			for (const state of states.values()) this.followOne(state, now, 'followed');
			// The files of jobs gone, and those idle, are let go.
			const live = new Set<FileCursor>();
			for (const state of states.values()) state.output?.files.forEach(cursor => live.add(cursor));
			this.kept.sweep(cursor => live.has(cursor), now - keptIdleMs);
		} else {
			for (const state of states.values()) if (state.output?.due) this.followOne(state, now, 'heard');
		}
	}

	/** Close every descriptor kept open. */
	close(): void {
		this.kept.close();
	}

	private followOne(state: JobState, now: number, which: Which): void {
		if (state.output) state.output.due = false;
		if (!state.record.valid) {
			// Taken for this pass only: by the next, the files may have moved on.
			state.output?.files.forEach(cursor => (cursor.looked = null));
			return;
		}
		this.attach(state);
		followJob(state, now, which);
		if (jobLook.halfLineLeft) state.output!.due = true;
	}
}

/**
 * The fresh look right before a recover or terminate (SPEC section 3): every output file, new
 * ones included, read and judged as on a tick. The moment of the job's newest new line, or null.
 */
export function freshLook(state: JobState, now: number): number | null {
	return followJob(state, now, 'listed');
}

/** Read and judge a job's output files; a new line is activity (state.fileActivityMs), and its moment is returned. */
function followJob(state: JobState, now: number, which: Which): number | null {
	const memory = state.output;
	jobLook.begin(memory, now, which);
	if (!memory) return null;
	const dir = state.record.dir;
	if (which === 'listed') {
		const listed = listOutputFiles(dir);
		noteLogsLink(memory, listed.logsLink);
		for (const relative of listed.files) if (!memory.files.has(relative)) memory.heard.add(relative);
	}
	folder.begin(dir, memory);
	try {
		// New files first: a rotated file takes its offset from the cursor of the path it left,
		// before that cursor moves on to the file that took the old name.
		if (memory.heard.size > 0) {
			for (const relative of memory.heard) {
				const file = memory.files.has(relative) ? null : folder.path(relative);
				if (file !== null) memory.files.set(relative, {...cursorForNew(memory, file), heard: true});
			}
			memory.heard.clear();
		}
		memory.files.forEach(jobLook.file);
	} finally {
		folder.close();
	}
	const newest = jobLook.newest;
	if (newest !== null) state.fileActivityMs = Math.max(state.fileActivityMs ?? 0, newest);
	return newest;
}

/**
 * One job's look at its files: which it reads, the moment of its newest new line (or of a write
 * counted unread), and whether a half line is left waiting. One for every look, begun afresh for
 * each job, its callbacks made once: a look at 500 jobs a tick makes no garbage of it.
 */
class JobLook {
	newest: number | null = null;
	halfLineLeft = false;
	private memory: OutputMemory | null = null;
	private now = 0;
	private which: Which = 'heard';

	begin(memory: OutputMemory | null, now: number, which: Which): void {
		this.memory = memory;
		this.now = now;
		this.which = which;
		this.newest = null;
		this.halfLineLeft = false;
	}

	/** Looks at one file followed, when this look is to read it. */
	readonly file = (cursor: FileCursor, relative: string): void => {
		const memory = this.memory!;
		if (this.which === 'heard' && !cursor.heard && !cursor.pending) return;
		const looked = cursor.looked;
		cursor.heard = false;
		cursor.looked = null;
		const seen = look(relative, cursor, memory, this.now, looked);
		if (seen === 'gone') {
			memory.kept.release(cursor);
			memory.files.delete(relative);
			return;
		}
		if (seen !== null) this.activityAt(seen);
		if (cursor.pending) this.halfLineLeft = true;
	};

	/** Judges one line read; a new one is activity at its write (never later than now). */
	readonly sink = (line: string, mtimeMs: number): void => {
		if (this.memory!.judge.judge(line) === true) this.activityAt(Math.min(mtimeMs, this.now));
	};

	private activityAt(moment: number): void {
		this.newest = Math.max(this.newest ?? 0, moment);
	}
}

/**
 * One look at one file: its new lines go to `sink`. Returns 'gone', or the moment of a write that
 * counts as activity unread (a file that cannot be read is never held against the job), or null.
 */
function look(relative: string, cursor: FileCursor, memory: OutputMemory, now: number, looked: FileMark | null): 'gone' | number | null {
	let seen = lookKept(looked ?? folder.named(relative), cursor, memory.kept);
	if (seen === null) {
		const file = folder.path(relative);
		if (file === null) return null;
		seen = lookAt(file, cursor, memory.kept);
	}
	let activity: number | null = null;
	if (seen.kind === 'gone') return 'gone';
	if (seen.kind === 'problem') {
		if (cursor.problem !== seen.problem) memory.tell(`${relative} ${seen.problem}`);
		cursor.problem = seen.problem;
		if (seen.mtimeMs !== null && seen.mtimeMs > cursor.mtimeMs) activity = Math.min(seen.mtimeMs, now);
		if (seen.mtimeMs !== null) cursor.mtimeMs = seen.mtimeMs;
	} else {
		cursor.problem = null;
	}
	if (seen.kind === 'appended' && takeLines(cursor, readBuffer, seen.length, seen.skipped, seen.mtimeMs, now, jobLook.sink) && !cursor.binarySaid) {
		cursor.binarySaid = true;
		memory.tell(`${relative} holds binary data: read as text, control bytes dropped`);
	}
	flushHalfLine(cursor, now, memory.intervalMs, jobLook.sink);
	return activity;
}

/**
 * A file new to the follower is read from its start: new output, or a file renamed from another
 * path (a rotation), which goes on from where that one was read to.
 */
function cursorForNew(memory: OutputMemory, file: string): FileCursor {
	const stats = lstatOrNull(file);
	if (!stats?.isFile()) return newCursor(-1, 0, 0);
	for (const known of memory.files.values()) {
		if (known.ino === stats.ino && known.offset <= stats.size) return {...newCursor(stats.ino, known.offset, known.mtimeMs), pending: known.pending, pendingSince: known.pendingSince};
	}
	return newCursor(stats.ino, 0, 0);
}

// One of each for every look: a look is synchronous, and each begins them afresh.
const jobLook = new JobLook();
const folder = new LogsFolder();
