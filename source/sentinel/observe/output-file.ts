import fs from 'node:fs';
import {markOrNull, type FileMark} from '../../jobs/file-mark.js';

const {O_RDONLY, O_NONBLOCK, O_NOFOLLOW} = fs.constants;
// Reading an output file must not change its times: no atime update where the kernel permits it
// (the file's owner, or CAP_FOWNER); elsewhere the open is made without it.
const O_NOATIME = (fs.constants as {O_NOATIME?: number}).O_NOATIME ?? 0;

/** The most read of one output file per tick (SPEC section 11): the rest of a flood is skipped. */
export const readLimit = 64 * 1024;

/** The most kept of one line: a longer line is judged by its start. */
export const lineLimit = 4096;

/** Where the sentinel is in one output file. */
export type FileCursor = {
	/** The file's inode when last read: another inode at the path is a replaced file, read from its start. */
	ino: number;
	/** Bytes read so far: the next read starts here. */
	offset: number;
	/** The start of a line not ended yet (bounded), or null. */
	pending: Buffer | null;
	/** When that half line was first read (epoch ms), with the file's mtime then. */
	pendingSince: number;
	pendingMtimeMs: number;
	/** mtime when last looked at: a file that cannot be read counts its writes as activity. */
	mtimeMs: number;
	/** What was last said about the file (a link, a FIFO, no permission), so it is said once. */
	problem: string | null;
	/** Binary data was found and said. */
	binarySaid: boolean;
	/** Whether O_NOATIME is still tried (it is refused on other users' files). */
	noatime: boolean;
	/** Bytes read from the file by the sentinel, all told (for tests: each read is bounded). */
	bytesRead: number;
	/** The file's descriptor kept open since it was last read (KeptFiles), or null; `dev` its device. */
	fd: number | null;
	dev: number;
	/** When the file last grew, in KeptFiles' count of reads: the least recent is closed first. */
	grewAt: number;
	/** The file was heard changing since the last look; `looked` its lstat when the tick's look took it. */
	heard: boolean;
	looked: FileMark | null;
};

/** A cursor at `offset` of the file with inode `ino`. */
export function newCursor(ino: number, offset: number, mtimeMs: number): FileCursor {
	return {ino, offset, pending: null, pendingSince: 0, pendingMtimeMs: 0, mtimeMs, problem: null, binarySaid: false, noatime: O_NOATIME !== 0, bytesRead: 0, fd: null, dev: -1, grewAt: 0, heard: false, looked: null};
}

/** What one look at an output file found: bytes appended lie in `readBuffer`, from its start to `length`. */
export type Look =
	| {kind: 'appended'; length: number; skipped: boolean; mtimeMs: number}
	| {kind: 'unchanged'}
	| {kind: 'gone'}
	/** Not read, and said why; `mtimeMs` set when it is a regular file whose writes count instead. */
	| {kind: 'problem'; problem: string; mtimeMs: number | null};

/** One buffer for every read: each read is consumed before the next, and a tick makes no garbage of it. */
export const readBuffer = Buffer.allocUnsafe(readLimit);

/**
 * Look at one output file (`file` is the path to open: through the folder's descriptor for
 * `logs/`) and read what it gained since `cursor`, at most `readLimit` bytes, the newest ones.
 * Never opens what is not a regular file (lstat first: a FIFO would block, a device could act on
 * an open), never follows a link (O_NOFOLLOW), and checks after the open that the file read is the
 * one looked at. The bytes read (in readBuffer) are valid until the next call. With `kept`, the
 * descriptor of a file read is kept open there for lookKept.
 */
export function lookAt(file: string, cursor: FileCursor, kept: KeptFiles | null = null): Look {
	kept?.release(cursor);
	let stats: fs.Stats | undefined;
	try {
		stats = fs.lstatSync(file, {throwIfNoEntry: false});
	} catch (error) {
		return {kind: 'problem', problem: `cannot be looked at (${codeOf(error)})`, mtimeMs: null};
	}
	if (!stats) return {kind: 'gone'};
	if (stats.isSymbolicLink()) return {kind: 'problem', problem: 'is a symbolic link: never followed', mtimeMs: null};
	if (!stats.isFile()) return {kind: 'problem', problem: 'is not a regular file (a FIFO, socket or device): never opened', mtimeMs: null};
	if (stats.ino !== cursor.ino || stats.size < cursor.offset) {
		// Replaced (rotated) or truncated: its new start is new output.
		cursor.ino = stats.ino;
		cursor.offset = 0;
		cursor.pending = null;
	}
	if (stats.size === cursor.offset) {
		cursor.mtimeMs = stats.mtimeMs;
		return {kind: 'unchanged'};
	}
	let fd: number;
	try {
		fd = open(file, cursor);
	} catch (error) {
		return {kind: 'problem', problem: `cannot be read (${codeOf(error)}): its writes count as activity`, mtimeMs: stats.mtimeMs};
	}
	let keep = false;
	try {
		const opened = fs.fstatSync(fd);
		// Swapped between the look and the open: looked at again next tick.
		if (!opened.isFile() || opened.ino !== stats.ino) return {kind: 'unchanged'};
		if (opened.size < cursor.offset) {
			cursor.offset = 0;
			cursor.pending = null;
		}
		const look = readAt(fd, opened.size, opened.mtimeMs, cursor);
		if (kept) {
			kept.keep(cursor, fd, opened.dev);
			keep = true;
		}
		return look;
	} catch (error) {
		// Truncated or gone mid-read (EIO on some file systems): looked at afresh next tick.
		return {kind: 'problem', problem: `could not be read (${codeOf(error)})`, mtimeMs: null};
	} finally {
		if (!keep) fs.closeSync(fd);
	}
}

/** Read from `fd` what the file gained since `cursor`, at most `readLimit` bytes, the newest ones. */
function readAt(fd: number, size: number, mtimeMs: number, cursor: FileCursor): Look {
	const start = Math.max(cursor.offset, size - readLimit);
	const skipped = start > cursor.offset;
	const bytesRead = fs.readSync(fd, readBuffer, 0, size - start, start);
	cursor.offset = start + bytesRead;
	cursor.mtimeMs = mtimeMs;
	cursor.bytesRead += bytesRead;
	return {kind: 'appended', length: bytesRead, skipped, mtimeMs};
}

/**
 * The quick look at a file whose descriptor was kept (`file` its path inside the job directory as
 * it is named, by any route): one lstat of the name and, when it grew, one read through the
 * descriptor. The lstat only tells whether the name still holds the very file kept (its device
 * and inode): bytes are only ever read through the descriptor, opened the careful way (lookAt),
 * so a `logs` swapped for a link since leads to no other file's bytes. Null when there is no
 * descriptor, or the name holds another file, a link, or nothing: the descriptor is closed and
 * the file looked at by lookAt. In place of its path, `file` may be the mark of the name's lstat
 * when the caller has just taken it.
 */
export function lookKept(file: string | FileMark, cursor: FileCursor, kept: KeptFiles): Look | null {
	const fd = cursor.fd;
	if (fd === null) return null;
	const mark = typeof file === 'string' ? markOrNull(file) : file;
	if (!mark?.regular || mark.ino !== cursor.ino || mark.dev !== cursor.dev) {
		kept.release(cursor);
		return null;
	}
	if (mark.size < cursor.offset) {
		cursor.offset = 0;
		cursor.pending = null;
	}
	if (mark.size === cursor.offset) {
		cursor.mtimeMs = mark.mtimeMs;
		return {kind: 'unchanged'};
	}
	try {
		const look = readAt(fd, mark.size, mark.mtimeMs, cursor);
		kept.grew(cursor);
		return look;
	} catch (error) {
		kept.release(cursor);
		return {kind: 'problem', problem: `could not be read (${codeOf(error)})`, mtimeMs: null};
	}
}

/** How many descriptors of output files are kept open at most. */
export const keptLimit = 1024;

/**
 * The descriptors of followed output files kept open between looks, so that reading what a file
 * gained takes one lstat and one read rather than seven system calls (open the `logs` folder,
 * lstat and open through it, fstat, read, close both). Bounded: at most `limit`, the least
 * recently grown closed first; closed too when the name holds another file or none, and by sweep().
 */
export class KeptFiles {
	private readonly cursors = new Set<FileCursor>();
	// Reads counted, to stamp each file as it grows: a stamp where a reordered set would churn on every read.
	private reads = 0;

	constructor(private readonly limit = keptLimit) {}

	get size(): number {
		return this.cursors.size;
	}

	/** Keep `fd`, just read, as the descriptor of `cursor`'s file (on device `dev`). */
	keep(cursor: FileCursor, fd: number, dev: number): void {
		if (cursor.fd !== null && cursor.fd !== fd) this.release(cursor);
		cursor.fd = fd;
		cursor.dev = dev;
		this.cursors.add(cursor);
		this.grew(cursor);
		while (this.cursors.size > this.limit) this.release(this.leastRecentlyGrown());
	}

	/** The file of `cursor` grew: it is the last to be closed. */
	grew(cursor: FileCursor): void {
		cursor.grewAt = ++this.reads;
	}

	private leastRecentlyGrown(): FileCursor {
		let oldest: FileCursor | undefined;
		for (const cursor of this.cursors) if (!oldest || cursor.grewAt < oldest.grewAt) oldest = cursor;
		return oldest!;
	}

	/** Close the descriptor of `cursor`, if kept. */
	release(cursor: FileCursor): void {
		if (cursor.fd === null) return;
		try {
			fs.closeSync(cursor.fd);
		} catch {
			// Closed already: nothing is left to free.
		}
		cursor.fd = null;
		this.cursors.delete(cursor);
	}

	/** Close each descriptor whose cursor is not `live`, or whose file last grew before `idleBefore` (mtime, epoch ms). */
	sweep(live: (cursor: FileCursor) => boolean, idleBefore: number): void {
		for (const cursor of this.cursors) if (!live(cursor) || cursor.mtimeMs < idleBefore) this.release(cursor);
	}

	/** Close every descriptor kept. */
	close(): void {
		for (const cursor of this.cursors) this.release(cursor);
	}
}

function open(file: string, cursor: FileCursor): number {
	const flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW;
	if (cursor.noatime) {
		try {
			return fs.openSync(file, flags | O_NOATIME);
		} catch (error) {
			if (codeOf(error) !== 'EPERM') throw error;
			cursor.noatime = false;
		}
	}
	return fs.openSync(file, flags);
}

function codeOf(error: unknown): string {
	return (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
}
