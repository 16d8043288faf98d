// Run by fleet.js in a process of its own: the fleet view as the binary runs it (startFleet drawn
// by the real runDashboard) on a 120x40 stand-in terminal, reading a real Prometheus. Every
// refresh is timed by the fleet's own hook (onRefresh): its queries, and from their answers being
// parsed to the frame written (hosts updated, the snapshot made, React's render, Ink's write).
//   node bench/lib/fleet-frame-child.js <prometheus-url> <interval-ms> <refreshes> <out.json>
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import {dist} from './sentinel.js';
import {frameEnd, standInTerminal} from './stand-in-terminal.js';
import {sleep, waitUntil} from './stats.js';

// Ink draws only the last frame when CI is set, and decides so when it is imported.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

const [prometheus, intervalText, countText, out] = process.argv.slice(2);
const count = Number(countText);
const {runDashboard} = await import(`${dist}/commands/dashboard.js`);
const {startFleet} = await import(`${dist}/fleet/start-fleet.js`);
const {stdin, stdout, stderr} = standInTerminal();

/** @type {Array<{queryMs: number, durationMs: number, answered: number, jobs: number, hosts: number, problem: string | null}>} */
const refreshes = [];
const engine = startFleet({
	prometheus,
	intervalMs: Number(intervalText),
	// Called right after the refresh published its snapshot, before React renders it (a microtask later).
	onRefresh({queryMs, durationMs, problem, hosts, jobs}) {
		refreshes.push({queryMs, durationMs, answered: performance.now() - durationMs + queryMs, jobs, hosts, problem});
	},
});
const ended = runDashboard(engine, {ascii: false, stdout, stdin, stderr});
await waitUntil(() => refreshes.length >= count, count * Number(intervalText) * 3 + 30_000, 50);
await sleep(200);
const stoppedAt = performance.now();
process.emit('SIGTERM');
await ended;

const timed = refreshes.map((entry, index, all) => {
	const frame = frameEnd(stdout.writes, entry.answered, all[index + 1]?.answered ?? stoppedAt);
	return {...entry, frameMs: frame === undefined ? null : frame - entry.answered};
});
fs.writeFileSync(out, JSON.stringify({refreshes: timed, nodeEnv: process.env.NODE_ENV ?? null}));
process.exit(0);
