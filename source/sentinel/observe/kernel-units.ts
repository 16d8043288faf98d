import fs from 'node:fs';
import os from 'node:os';
import {spawnSync} from 'node:child_process';
import {readProcFile} from './proc-file.js';

let units: {ticksPerSecond: number; pageBytes: number} | undefined;

/** Clock ticks per second and bytes per page, as getconf says; read once, they never change while the machine runs. */
export function kernelUnits(): {ticksPerSecond: number; pageBytes: number} {
	units ??= unitsFromAuxv() ?? unitsFromGetconf();
	return units;
}

const auxPageSize = 6;
const auxClockTicks = 17;

// The kernel hands every process these in its auxiliary vector, where getconf itself reads them:
// a file read instead of spawning a shell, which cost 10 ms of the first tick.
function unitsFromAuxv(): {ticksPerSecond: number; pageBytes: number} | null {
	let vector: Buffer;
	try {
		vector = fs.readFileSync('/proc/self/auxv');
	} catch {
		return null;
	}
	const wordBytes = ['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390'].includes(process.arch) ? 4 : 8;
	const little = os.endianness() === 'LE';
	const word = (offset: number): number => {
		if (wordBytes === 4) return little ? vector.readUInt32LE(offset) : vector.readUInt32BE(offset);
		return Number(little ? vector.readBigUInt64LE(offset) : vector.readBigUInt64BE(offset));
	};
	let ticksPerSecond = 0;
	let pageBytes = 0;
	for (let offset = 0; offset + 2 * wordBytes <= vector.length; offset += 2 * wordBytes) {
		const type = word(offset);
		if (type === 0) break;
		if (type === auxPageSize) pageBytes = word(offset + wordBytes);
		if (type === auxClockTicks) ticksPerSecond = word(offset + wordBytes);
	}
	// Anything implausible (a word size guessed wrong) is left to getconf.
	const plausible = ticksPerSecond > 0 && ticksPerSecond <= 10_000 && pageBytes >= 4096 && (pageBytes & (pageBytes - 1)) === 0;
	return plausible ? {ticksPerSecond, pageBytes} : null;
}

function unitsFromGetconf(): {ticksPerSecond: number; pageBytes: number} {
	const result = spawnSync('/bin/sh', ['-c', 'getconf CLK_TCK; getconf PAGESIZE'], {encoding: 'utf8', timeout: 5000});
	const [ticks, page] = (result.stdout ?? '').split('\n').map(line => Number.parseInt(line, 10));
	return {
		ticksPerSecond: ticks && ticks > 0 ? ticks : 100,
		pageBytes: page && page > 0 ? page : 4096,
	};
}

let boot: {btime: number; ms: number; readAt: number} | undefined;

// btime (/proc/stat) is whole seconds, which would put start times up to 1 s early; now minus
// /proc/uptime is exact to a tick but jitters from read to read. So the exact value is taken once
// and kept while btime stands still: btime only moves when the wall clock is stepped, and then
// start times follow the new wall clock, as ps shows them.
export function bootTimeMs(): number {
	const now = Date.now();
	if (boot && Math.abs(now - boot.readAt) < 1000) return boot.ms;
	const match = /^btime (\d+)$/m.exec(readProcFile('/proc/stat'));
	const btime = match ? Number(match[1]) * 1000 : 0;
	if (boot?.btime === btime) {
		boot.readAt = now;
		return boot.ms;
	}
	const uptimeMs = Number.parseFloat(readProcFile('/proc/uptime')) * 1000;
	const exact = Math.round(Date.now() - uptimeMs);
	boot = {btime, ms: Math.abs(exact - btime - 500) <= 600 ? exact : btime, readAt: now};
	return boot.ms;
}
