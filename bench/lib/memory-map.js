// What a process's resident memory is made of, from the kernel's account of each mapping
// (/proc/<pid>/smaps): malloc's main arena, the rest of its anonymous memory (the V8 heap for the
// most part, with compiled code, wasm memory and other threads' arenas), the pages of the node
// binary it has touched (code, read-only data, ICU's tables), and every other file mapped.
import fs from 'node:fs';
import path from 'node:path';
import {fmt} from './report.js';

/** Resident bytes by kind; null when the process is gone. */
export function memoryMap(pid) {
	let text;
	try {
		text = fs.readFileSync(`/proc/${pid}/smaps`, 'latin1');
	} catch {
		return null;
	}
	const parts = {malloc: 0, anonymous: 0, node: 0, files: 0};
	let kind = null;
	for (const line of text.split('\n')) {
		const mapping = /^[\da-f]+-[\da-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
		if (mapping) {
			const name = mapping[1];
			if (name === '[heap]') kind = 'malloc';
			else if (name === '' || name.startsWith('[')) kind = 'anonymous';
			else kind = path.basename(name) === 'node' ? 'node' : 'files';
			continue;
		}
		const rss = /^Rss:\s+(\d+) kB/.exec(line);
		if (rss && kind) parts[kind] += Number(rss[1]) * 1024;
	}
	return parts;
}

/** One line for a benchmark's notes. */
export function memoryMapNote(name, pid) {
	const parts = memoryMap(pid);
	if (!parts) return `${name}: gone before its memory could be mapped`;
	return `${name}'s resident memory at the end: malloc's arena ${fmt.mb(parts.malloc)}, other anonymous memory (mostly the V8 heap) ${fmt.mb(parts.anonymous)}, the node binary's pages ${fmt.mb(parts.node)}, other files ${fmt.mb(parts.files)}`;
}
