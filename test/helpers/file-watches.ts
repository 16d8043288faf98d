import fs from 'node:fs';
import {waitFor} from './processes.js';

/** The inodes `pid` holds inotify watches on, from its inotify descriptors' fdinfo (Linux). */
export function watchedInodes(pid = process.pid): Set<number> {
	const inodes = new Set<number>();
	const fds = `/proc/${pid}/fd`;
	let names: string[] = [];
	try {
		names = fs.readdirSync(fds);
	} catch {
		return inodes; // gone
	}
	for (const name of names) {
		try {
			if (fs.readlinkSync(`${fds}/${name}`) !== 'anon_inode:inotify') continue;
			for (const match of fs.readFileSync(`/proc/${pid}/fdinfo/${name}`, 'utf8').matchAll(/^inotify wd:[\da-f]+ ino:([\da-f]+) /gm)) {
				inodes.add(Number.parseInt(match[1]!, 16));
			}
		} catch {} // closed meanwhile
	}
	return inodes;
}

/**
 * True once `pid` (this process by default) watches every one of `dirs`: from then on it hears
 * what is written there. What a fixed pause used to stand in for while chokidar set its watches;
 * false if that has not happened within `timeoutMs`.
 */
export async function watching(dirs: string[], pid = process.pid, timeoutMs = 20_000): Promise<boolean> {
	const inodes = dirs.map(dir => fs.statSync(dir).ino);
	return waitFor(() => {
		const watched = watchedInodes(pid);
		return inodes.every(inode => watched.has(inode));
	}, timeoutMs);
}
