import fs from 'node:fs';
import path from 'node:path';
import type {AuditEntry} from '../../types.js';
import {parseAuditLine} from './audit-entry.js';
import {SafeFolder} from './sentinel-folder.js';

// Entries are made and parsed in audit-entry.ts; this file keeps them on disk.
export {auditEntry, newActionId, parseAuditLine, thisSentinel, type AuditFields} from './audit-entry.js';

function parseLines(text: string): AuditEntry[] {
	return text.split('\n').flatMap(line => parseAuditLine(line) ?? []);
}

const {O_RDONLY, O_RDWR, O_APPEND, O_CREAT} = fs.constants;

function missing(error: unknown): boolean {
	return (error as {code?: string}).code === 'ENOENT';
}

/** Opens `file` for reading, never through a link (the file's or its folder's); null when either is missing. */
function openToRead(file: string): number | null {
	try {
		return SafeFolder.use(path.dirname(file), false, folder => folder.openFile(path.basename(file), O_RDONLY));
	} catch (error) {
		if (missing(error)) return null;
		throw error;
	}
}

/** The text of `file`; empty when there is none. A link, or a file that cannot be read, throws. */
function readIfExists(file: string): string {
	const fd = openToRead(file);
	if (fd === null) return '';
	try {
		return fs.readFileSync(fd, 'utf8');
	} finally {
		fs.closeSync(fd);
	}
}

const chunkBytes = 64 * 1024;
const newline = 0x0a;

/** The last `want` entries of the bytes before `end` of `file`, oldest first. */
function tailOfFile(file: string, end: number, want: number): AuditEntry[] {
	let fd: number | null;
	try {
		fd = openToRead(file);
	} catch {
		fd = null;
	}
	if (fd === null) return [];
	const found: AuditEntry[] = [];
	try {
		let position = end;
		let carry = Buffer.alloc(0);
		while (position > 0 && found.length < want) {
			const size = Math.min(chunkBytes, position);
			position -= size;
			const chunk = Buffer.alloc(size);
			fs.readSync(fd, chunk, 0, size, position);
			let data = Buffer.concat([chunk, carry]);
			carry = Buffer.alloc(0);
			if (position > 0) {
				// The first piece may continue in the chunk before this one.
				const first = data.indexOf(newline);
				carry = first < 0 ? data : data.subarray(0, first);
				if (first < 0) continue;
				data = data.subarray(first + 1);
			}
			const lines = data.toString('utf8').split('\n');
			for (let index = lines.length - 1; index >= 0 && found.length < want; index--) {
				const entry = parseAuditLine(lines[index]!);
				if (entry) found.push(entry);
			}
		}
	} finally {
		fs.closeSync(fd);
	}
	return found.reverse();
}

export type AuditLogOptions = {
	/** Rotate when an append would take the file past this size (default 10 MB). */
	maxBytes?: number;
	/** Rotated files kept: `.1` (newest) to `.keep` (default 3). */
	keep?: number;
};

export type FollowOptions = {
	/** Entries already in the log to hand over first: the last n, or 'all' (rotated files too). */
	backlog?: number | 'all';
	/** How often to look for new lines when no file event arrives (default 250 ms). */
	intervalMs?: number;
};

/** `<jobs-dir>/.sentinel/audit.jsonl`: one JSON object a line, on disk before a result is shown. */
export class AuditLog {
	private readonly maxBytes: number;
	private readonly keep: number;

	constructor(readonly file: string, options: AuditLogOptions = {}) {
		this.maxBytes = options.maxBytes ?? 10 * 2 ** 20;
		this.keep = options.keep ?? 3;
	}

	/**
	 * Appends one entry and flushes it to disk; throws when the disk refuses, or a SentinelFileError
	 * when the file or its folder cannot be opened (one that is a link is never followed). A folder
	 * or file made here takes its owner as sentinel-folder.ts says.
	 */
	append(entry: AuditEntry): void {
		const line = `${JSON.stringify(entry)}\n`;
		const name = path.basename(this.file);
		SafeFolder.use(path.dirname(this.file), true, folder => {
			let fd = folder.openFile(name, O_RDWR | O_APPEND | O_CREAT);
			try {
				let {size} = fs.fstatSync(fd);
				if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) {
					fs.closeSync(fd);
					// -1 until the new file is open: a failed open leaves nothing to close twice.
					fd = -1;
					this.rotate(folder, name);
					fd = folder.openFile(name, O_RDWR | O_APPEND | O_CREAT);
					size = fs.fstatSync(fd).size;
				}
				// A writer that died mid-line left a torn line: end it so this entry starts its own.
				const last = Buffer.alloc(1);
				const torn = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== newline;
				const bytes = Buffer.from(torn ? `\n${line}` : line);
				// One write call, so sentinels appending together do not interleave within a line.
				let written = 0;
				while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
				fs.fsyncSync(fd);
			} finally {
				if (fd >= 0) fs.closeSync(fd);
			}
		});
	}

	/** The rotated files, oldest first, then the live file. */
	files(): string[] {
		const rotated = Array.from({length: this.keep}, (_, index) => `${this.file}.${this.keep - index}`);
		return [...rotated, this.file];
	}

	/** Every readable entry, oldest first, rotated files included; torn lines skipped. */
	readAll(): AuditEntry[] {
		return this.files().flatMap(file => parseLines(readIfExists(file)));
	}

	/** The newest `n` entries, oldest first, reading from the end (cheap on a large log). */
	readTail(n: number): AuditEntry[] {
		return this.tailBefore(whereIs(this.file).position, n);
	}

	/**
	 * Calls `onEntry` for each entry appended from now on, by any sentinel, across rotations.
	 * Returns the function that stops following.
	 */
	follow(onEntry: (entry: AuditEntry) => void, options: FollowOptions = {}): () => void {
		let {position, inode} = whereIs(this.file);
		if (options.backlog === 'all') {
			for (const file of this.files().slice(0, -1)) for (const entry of parseLines(readIfExists(file))) onEntry(entry);
			position = 0;
		} else if (options.backlog) {
			for (const entry of this.tailBefore(position, options.backlog)) onEntry(entry);
		}
		// Bytes after the last newline are a line still being written: completed by a later read.
		let pending = options.backlog === 'all' ? Buffer.alloc(0) : readRange(this.file, Math.max(0, position - chunkBytes), position);
		pending = pending.subarray(pending.lastIndexOf(newline) + 1);
		const emit = (bytes: Buffer, final: boolean) => {
			const data = Buffer.concat([pending, bytes]);
			const end = final ? data.length : data.lastIndexOf(newline) + 1;
			pending = data.subarray(end);
			for (const entry of parseLines(data.subarray(0, end).toString('utf8'))) onEntry(entry);
		};
		let stopped = false;
		const drain = () => {
			if (stopped) return;
			const now = whereIs(this.file);
			if (inode !== null && now.inode !== inode) {
				// Rotated, maybe more than once: finish the old file, then any rotated after it.
				const rotated = this.files().slice(0, -1).map(file => ({file, ...whereIs(file)}));
				const oldIndex = rotated.findIndex(item => item.inode === inode);
				for (const [index, item] of rotated.entries()) {
					if (oldIndex < 0 || index < oldIndex) continue;
					emit(readRange(item.file, index === oldIndex ? position : 0, item.position), true);
				}
				position = 0;
			} else if (now.position < position) {
				position = 0;
				pending = Buffer.alloc(0);
			}
			inode = now.inode;
			if (now.position > position) {
				const bytes = readRange(this.file, position, now.position);
				position += bytes.length;
				emit(bytes, false);
			}
		};
		drain();
		const timer = setInterval(drain, options.intervalMs ?? 250);
		let watcher: fs.FSWatcher | null = null;
		try {
			watcher = fs.watch(path.dirname(this.file), () => drain());
			watcher.on('error', () => watcher?.close());
		} catch {
			// No directory yet, or no watches left: the timer alone will do.
		}
		return () => {
			stopped = true;
			clearInterval(timer);
			watcher?.close();
		};
	}

	private tailBefore(end: number, n: number): AuditEntry[] {
		let found: AuditEntry[] = [];
		const files = this.files().reverse();
		for (const [index, file] of files.entries()) {
			if (found.length >= n) break;
			found = [...tailOfFile(file, index === 0 ? end : whereIs(file).position, n - found.length), ...found];
		}
		return found;
	}

	private rotate(folder: SafeFolder, name: string): void {
		// Several sentinels may rotate at once; a lost rename only shifts the files, no line is lost.
		for (let index = this.keep; index >= 1; index--) folder.rename(index === 1 ? name : `${name}.${index - 1}`, `${name}.${index}`);
	}
}

/** A file's size and inode, to tell growth from rotation; a missing file has neither. */
function whereIs(file: string): {position: number; inode: number | null} {
	try {
		const stat = SafeFolder.use(path.dirname(file), false, folder => folder.lstat(path.basename(file)));
		if (stat?.isFile()) return {position: Number(stat.size), inode: Number(stat.ino)};
	} catch {}
	return {position: 0, inode: null};
}

/** The bytes of `file` from `start` to `end`; none when the file is gone, unreadable or a link. */
function readRange(file: string, start: number, end: number): Buffer {
	if (end <= start) return Buffer.alloc(0);
	let fd: number | null;
	try {
		fd = openToRead(file);
	} catch {
		fd = null;
	}
	if (fd === null) return Buffer.alloc(0);
	try {
		const buffer = Buffer.alloc(end - start);
		const read = fs.readSync(fd, buffer, 0, buffer.length, start);
		return buffer.subarray(0, read);
	} finally {
		fs.closeSync(fd);
	}
}
