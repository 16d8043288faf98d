// Reading what the kernel says about a process: CPU time, RSS, start time (Linux /proc).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {sleep} from './stats.js';

let ticksPerSecond;

function clockTicks() {
	ticksPerSecond ??= Number.parseInt(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}), 10) || 100;
	return ticksPerSecond;
}

/** Fields of /proc/<pid>/stat after the command name, numbered as in proc(5) from field 3. */
function statFields(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
	return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of the process itself (children excluded), in seconds; null when it is gone. */
export function cpuSeconds(pid) {
	try {
		const fields = statFields(pid);
		// utime is field 14, stime 15; fields[0] is field 3.
		return (Number(fields[11]) + Number(fields[12])) / clockTicks();
	} catch {
		return null;
	}
}

/** A `Name: N kB` field of /proc/<pid>/status in bytes; null when the process is gone. */
function statusBytes(pid, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
		return match ? Number(match[1]) * 1024 : null;
	} catch {
		return null;
	}
}

/** Resident set size in bytes (VmRSS); null when the process is gone. */
export function rssBytes(pid) {
	return statusBytes(pid, 'VmRSS');
}

/** The kernel's high-water mark of the resident set since exec (VmHWM): the peak no sampling can miss. */
export function hwmBytes(pid) {
	return statusBytes(pid, 'VmHWM');
}

let bootMs;

/** When the process started (epoch ms, to a clock tick); null when it is gone. */
export function startTimeMs(pid) {
	bootMs ??= Date.now() - Number.parseFloat(fs.readFileSync('/proc/uptime', 'latin1')) * 1000;
	try {
		// starttime is field 22.
		return Math.round(bootMs + (Number(statFields(pid)[19]) / clockTicks()) * 1000);
	} catch {
		return null;
	}
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid) {
	try {
		return statFields(pid)[0] !== 'Z';
	} catch {
		return false;
	}
}

/**
 * CPU seconds each of `pids` spends over `seconds` after `warmup`, read at the end of each of
 * `windows` equal windows too; throws if one dies.
 */
export async function cpuOver(pids, warmup, seconds, windows) {
	await sleep(warmup * 1000);
	const marks = [{at: Date.now(), cpu: pids.map(pid => cpuSeconds(pid))}];
	for (let window = 0; window < windows; window++) {
		await sleep((seconds * 1000) / windows);
		marks.push({at: Date.now(), cpu: pids.map(pid => cpuSeconds(pid))});
	}
	return pids.map((pid, index) => {
		if (marks.some(mark => mark.cpu[index] === null) || !isAlive(pid)) throw new Error(`pid ${pid} died during the measurement`);
		const span = (from, to) => ({cpu: marks[to].cpu[index] - marks[from].cpu[index], wall: (marks[to].at - marks[from].at) / 1000});
		return {...span(0, windows), windows: marks.slice(1).map((_, window) => span(window, window + 1))};
	});
}

/** A span's CPU time as seconds a minute. */
export function perMinute({cpu, wall}) {
	return (cpu / wall) * 60;
}
