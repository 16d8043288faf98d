import {lineLimit, type FileCursor} from './output-file.js';

const newline = 0x0a;
const carriageReturn = 0x0d;

/** A line with the moment its bytes were seen written (the file's mtime at the read). */
export type LineSink = (line: string, mtimeMs: number) => void;

/**
 * Cut what a file gained (`bytes`, up to `length`) into lines, each handed to `sink`: a newline or
 * a carriage return ends a line (a progress bar redrawn in place is a run of lines; CRLF leaves an
 * empty line, which judges as nothing). A line's start left without its end waits in the cursor,
 * up to `lineLimit` bytes. After a skipped flood the first piece is the tail of a line whose middle
 * was lost: it is dropped with the half line before the gap (a repeated line cut anywhere would
 * read as new), unless no line ends in what was read: then it is all one long line, kept as a half
 * line. Both break bytes are ASCII, never inside a UTF-8 character. True when the bytes held a NUL
 * (binary data), found in the same pass.
 */
export function takeLines(cursor: FileCursor, bytes: Buffer, length: number, skipped: boolean, mtimeMs: number, now: number, sink: LineSink): boolean {
	let binary = false;
	let start = 0;
	let dropping = skipped;
	for (let index = 0; index < length; index++) {
		const byte = bytes[index]!;
		// Most bytes are printable: one comparison and on.
		if (byte > carriageReturn) continue;
		if (byte === 0) binary = true;
		if (byte !== newline && byte !== carriageReturn) continue;
		if (dropping) {
			cursor.pending = null;
			dropping = false;
		} else {
			lineEnded(cursor, bytes, start, index, mtimeMs, sink);
		}
		start = index + 1;
	}
	// Still inside one long line after a gap: its start (kept, bounded) waits for its end or an interval.
	if (dropping) keepHalfLine(cursor, bytes.subarray(0, length), mtimeMs, now);
	else if (start < length) keepHalfLine(cursor, bytes.subarray(start, length), mtimeMs, now);
	return binary;
}

/** The line from `start` to `end` of `bytes`, after the half line waiting in the cursor, if any. */
function lineEnded(cursor: FileCursor, bytes: Buffer, start: number, end: number, mtimeMs: number, sink: LineSink): void {
	const pending = cursor.pending;
	if (pending) {
		cursor.pending = null;
		const room = Math.max(0, lineLimit - pending.length);
		sink(Buffer.concat([pending, bytes.subarray(start, Math.min(end, start + room))]).toString('utf8'), mtimeMs);
	} else if (end > start) {
		sink(bytes.toString('utf8', start, Math.min(end, start + lineLimit)), mtimeMs);
	}
}

function keepHalfLine(cursor: FileCursor, piece: Buffer, mtimeMs: number, now: number): void {
	const pending = cursor.pending;
	if (!pending) {
		// Copied: the bytes read lie in a buffer the next read overwrites.
		cursor.pending = Buffer.from(piece.subarray(0, lineLimit));
		cursor.pendingSince = now;
	} else if (pending.length < lineLimit) {
		cursor.pending = Buffer.concat([pending, piece.subarray(0, lineLimit - pending.length)]);
	}
	cursor.pendingMtimeMs = mtimeMs;
}

/** A half line waiting one interval or more is judged as it is (SPEC section 11), and forgotten. */
export function flushHalfLine(cursor: FileCursor, now: number, intervalMs: number, sink: LineSink): void {
	const pending = cursor.pending;
	if (!pending || now - cursor.pendingSince < intervalMs) return;
	cursor.pending = null;
	sink(pending.toString('utf8'), cursor.pendingMtimeMs);
}
