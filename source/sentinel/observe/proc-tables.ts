import os from 'node:os';
import {readProcFile} from './proc-file.js';

/** One line of /proc/locks: who holds a file lock, or waits for one (`->`), on which file. */
export type LockLine = {
	/** FLOCK, POSIX, OFDLCK, LEASE... */
	type: string;
	/** -1 for OFD locks, which no single process owns. */
	pid: number;
	/** `major:minor:inode` of the locked file, as /proc/locks writes it. */
	file: string;
	waiting: boolean;
};

/** /proc/locks (proc_locks(5)): `1: FLOCK  ADVISORY  WRITE 2001 08:01:7864554 0 EOF`, waiters as `1: -> FLOCK ...`. */
export function parseLocks(text: string): LockLine[] {
	const found: LockLine[] = [];
	for (const line of text.split('\n')) {
		const match = /^\s*\d+:\s+((?:->\s*)*)(\S+)\s+\S+\s+\S+\s+(-?\d+)\s+(\S+)/.exec(line);
		if (match) found.push({type: match[2]!, pid: Number(match[3]), file: match[4]!, waiting: match[1] !== ''});
	}
	return found;
}

/** One TCP socket of /proc/net/tcp or tcp6. */
export type TcpSocket = {local: string; remote: string; listening: boolean};

// Both files print addresses as the kernel holds them: each 32-bit word of the address in the
// machine's byte order, in hex, and the port as a plain hex number.
const littleEndian = os.endianness() === 'LE';

function word(hex: string): number[] {
	const bytes = [0, 2, 4, 6].map(at => Number.parseInt(hex.slice(at, at + 2), 16));
	return littleEndian ? bytes.reverse() : bytes;
}

/** `0100007F:1F90` -> `127.0.0.1:8080`; a 32-digit IPv6 address -> `[::1]:8080` (`::ffff:a.b.c.d` shown as a.b.c.d). */
export function decodeAddress(text: string): string | null {
	const [hex, portHex] = text.split(':');
	if (!hex || !portHex || !/^[\dA-Fa-f]+$/.test(hex + portHex)) return null;
	const port = Number.parseInt(portHex, 16);
	if (hex.length === 8) return `${word(hex).join('.')}:${port}`;
	if (hex.length !== 32) return null;
	const bytes = [0, 8, 16, 24].flatMap(at => word(hex.slice(at, at + 8)));
	if (bytes.slice(0, 10).every(byte => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `${bytes.slice(12).join('.')}:${port}`;
	const groups = Array.from({length: 8}, (_, index) => ((bytes[2 * index]! << 8) | bytes[2 * index + 1]!).toString(16));
	// The longest run of zero groups becomes `::`, as people write IPv6 addresses.
	const joined = `:${groups.join(':')}:`.replace(/(:0)+:/, '::');
	const compact = joined.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '');
	return `[${compact}]:${port}`;
}

/** /proc/net/tcp or tcp6: the sockets by inode. Lines: `sl local rem st ... uid timeout inode ...`. */
export function parseTcp(text: string, into = new Map<number, TcpSocket>()): Map<number, TcpSocket> {
	for (const line of text.split('\n')) {
		const fields = line.trim().split(/\s+/);
		if (fields.length < 10 || !fields[0]!.endsWith(':')) continue;
		const local = decodeAddress(fields[1]!);
		const remote = decodeAddress(fields[2]!);
		const inode = Number(fields[9]);
		if (local === null || remote === null || !Number.isInteger(inode) || inode === 0) continue;
		// State 0A is TCP_LISTEN.
		into.set(inode, {local, remote, listening: fields[3] === '0A'});
	}
	return into;
}

// `Num RefCount Protocol Flags Type St Inode Path`: the path is the rest of the line after one
// space, written as it is, spaces and all (a jobs directory or a home may hold one).
const unixLine = /^\s*(?:\S+\s+){6}(\d+)(?: (.+))?$/;

/** /proc/net/unix: unix sockets by inode, with their path when they have one. */
export function parseUnix(text: string): Map<number, string | null> {
	const found = new Map<number, string | null>();
	for (const line of text.split('\n').slice(1)) {
		const match = unixLine.exec(line);
		if (match) found.set(Number(match[1]), match[2] ?? null);
	}
	return found;
}

function readText(file: string): string {
	try {
		return readProcFile(file);
	} catch {
		return '';
	}
}

/**
 * The machine-wide tables a diagnosis may need, each read at most once (a tick makes one), and
 * only when some job needs it: on a server with many connections /proc/net/tcp is long.
 */
export class ProcTables {
	#locks: LockLine[] | null = null;
	#tcp: Map<number, TcpSocket> | null = null;
	#unix: Map<number, string | null> | null = null;

	get locks(): LockLine[] {
		this.#locks ??= parseLocks(readText('/proc/locks'));
		return this.#locks;
	}

	/** The TCP socket of this inode in the sentinel's network namespace, or undefined. */
	tcp(inode: number): TcpSocket | undefined {
		this.#tcp ??= parseTcp(readText('/proc/net/tcp6'), parseTcp(readText('/proc/net/tcp')));
		return this.#tcp.get(inode);
	}

	/** A unix socket's path (null when it has none), or undefined when the inode is not a unix socket. */
	unix(inode: number): string | null | undefined {
		this.#unix ??= parseUnix(readText('/proc/net/unix'));
		return this.#unix.get(inode);
	}
}
