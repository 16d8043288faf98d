// Run by first-frame.js in a process of its own (React's build is chosen by NODE_ENV at import):
// the dashboard as the binary runs it, the real Engine (startEngine: watching, interventions on)
// drawn by the real runDashboard to a 120x40 stand-in terminal, while manifests change under it
// and the engine ticks. Every publish of the engine is timed, whatever caused it (a file event, a
// settle check, a tick), from its start (the snapshot is made there, with the dashboard listening)
// to the frame written; a publish that wrote nothing is timed to the end of its work and counted.
//   node bench/lib/frame-cost-child.js <jobs-dir> <home> <frames> <out.json>
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import {dist} from './sentinel.js';
import {frameEnd, standInTerminal} from './stand-in-terminal.js';
import {sleep, waitUntil} from './stats.js';

// Ink draws only the last frame when CI is set, and decides so when it is imported.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

const [jobsDir, home, framesText, out] = process.argv.slice(2);
const frames = Number(framesText);
const {runDashboard} = await import(`${dist}/commands/dashboard.js`);
const {startEngine} = await import(`${dist}/commands/start-engine.js`);
const {loadConfig} = await import(`${dist}/config/load-config.js`);

const {stdin, stdout, stderr} = standInTerminal();

const engine = startEngine(loadConfig({flags: {jobsDir}, env: {}, home}));
// The engine's own publish and snapshot-making, wrapped on the instance to be timed: the calls
// inside the engine (after a tick, a file event, the first look's early jobs) go through them.
/** @type {Array<{start: number, made: number, settled: number}>} */
const publishes = [];
const {publish, buildSnapshot} = Object.getPrototypeOf(engine);
let made = 0;
engine.buildSnapshot = function () {
	const snapshot = buildSnapshot.call(this);
	made = performance.now();
	return snapshot;
};
engine.publish = function () {
	const start = performance.now();
	made = start;
	publish.call(this);
	const entry = {start, made, settled: Number.NaN};
	publishes.push(entry);
	// React renders an outside store's change in a microtask queued during publish(): one queued
	// now runs after that render, its commit and Ink's output pass, whether or not it wrote.
	queueMicrotask(() => {
		entry.settled = performance.now();
	});
};

const ended = runDashboard(engine, {ascii: false, stdout, stdin, stderr});
// As cli.tsx: the first tick (the first look at the jobs, which starts the watcher) is not awaited
// by the dashboard; its schedule is left out, and ticks come from the loop below instead.
await engine.tick();
// The watcher's first scan (a second or so for 1,000 directories) ends with a publish of its own:
// the frames start once the engine has been quiet for a while after it.
await waitUntil(() => publishes.length >= 3 && performance.now() - publishes.at(-1).start > 1000, 30_000, 50);
const firstFrame = publishes.length;

const manifests = fs
	.readdirSync(jobsDir)
	.filter(name => !name.startsWith('.'))
	.map(name => `${jobsDir}/${name}/job_manifest.json`);
for (let frame = 0; frame < frames; frame++) {
	// A status changes (the header counts statuses, so the screen changes with it), as Logist
	// writes it; every third step the engine ticks too, as it would every interval.
	const file = manifests[(frame * 7) % manifests.length];
	const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.writeFileSync(file, JSON.stringify({...manifest, status: manifest.status === 'RUNNING' ? 'PENDING' : 'RUNNING'}, null, 2));
	// Past Ink's frame throttle and the first settle checks, so one publish's frame is not held for another's.
	await sleep(120);
	if (frame % 3 === 2) {
		await engine.tick();
		await sleep(60);
	}
}
await sleep(1000);
const stoppedAt = performance.now();
// As a SIGTERM would: runDashboard's own handler unmounts, then stops the engine.
process.emit('SIGTERM');
await ended;

/**
 * Each publish's cost: to its frame written, else (no write before the next publish: nothing on
 * screen changed) to the end of the render that found so. A frame is one burst of writes
 * (begin-synchronized-update, the frame, end), timed to its last.
 */
const timed = publishes.slice(firstFrame).map((entry, index, all) => {
	const last = frameEnd(stdout.writes, entry.start, all[index + 1]?.start ?? stoppedAt);
	return {
		costMs: (last ?? entry.settled) - entry.start,
		snapshotMs: entry.made - entry.start,
		drawn: last !== undefined,
	};
});
fs.writeFileSync(out, JSON.stringify({publishes: timed, loops: frames, jobs: engine.getSnapshot().jobs.length, nodeEnv: process.env.NODE_ENV ?? null}));
process.exit(0);
