// Process trees that ignore SIGTERM, for the stop-tree benchmark.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {killGroup, onCleanup} from './cleanup.js';
import {sleep} from './stats.js';

/** Parent pid -> child pids, for every process now (one pass over /proc). */
function childrenMap() {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let text;
		try {
			text = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
		} catch {
			continue;
		}
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		if (fields[0] === 'Z') continue;
		const ppid = Number(fields[1]);
		if (!children.has(ppid)) children.set(ppid, []);
		children.get(ppid).push(Number(entry));
	}
	return children;
}

/** The process and every live descendant. */
export function treeOf(rootPid) {
	const children = childrenMap();
	const found = [rootPid];
	for (let index = 0; index < found.length; index++) found.push(...(children.get(found[index]) ?? []));
	return found;
}

/**
 * A tree of exactly `size` processes that all ignore SIGTERM (SIG_IGN survives fork and exec):
 * a root shell, `branches` shells under it, and `sleep`s under those. It runs in a new process
 * group killed when the benchmark ends; every sleep ends by itself after `lifetimeSeconds`.
 * Resolves once all `size` processes exist, with the root and every member's pid.
 */
export async function startStubbornTree(size, {branches = 10, lifetimeSeconds = 300} = {}) {
	const leaves = size - 1 - branches;
	const per = Math.floor(leaves / branches);
	const extra = leaves - per * branches;
	const branch = count => `sh -c 'i=0; while [ $i -lt ${count} ]; do sleep ${lifetimeSeconds} & i=$((i+1)); done; wait' &`;
	const script = ['trap "" TERM', ...Array.from({length: branches}, (_, index) => branch(per + (index < extra ? 1 : 0))), 'wait'].join('\n');
	const root = spawn('/bin/sh', ['-c', script], {detached: true, stdio: 'ignore'});
	onCleanup(`kill tree ${root.pid}`, () => killGroup(root.pid));
	const deadline = Date.now() + 20_000;
	for (;;) {
		const members = treeOf(root.pid);
		if (members.length === size) return {root: root.pid, members, child: root};
		if (members.length > size || Date.now() > deadline) throw new Error(`the tree has ${members.length} processes, expected ${size}`);
		await sleep(20);
	}
}

/** Which of `pids` are still alive (zombies count as dead: they hold no resources but a slot). */
export function survivors(pids) {
	return pids.filter(pid => {
		try {
			const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
			return text.slice(text.lastIndexOf(')') + 2)[0] !== 'Z';
		} catch {
			return false;
		}
	});
}
