// Run by metrics.js in a process of its own (with the bin's node flags): the engine as headless
// mode runs it (startEngine: watching, interventions on, no snapshot listener) with --metrics on a
// free loopback port, every tick's end and duration recorded, and each scrape's own time and CPU
// time (from its request to its exposition made). Prints {"port": N} once serving; on SIGTERM
// writes the ticks and scrapes to <out.json> and exits.
//   node bench/lib/metrics-child.js <jobs-dir> <home> <interval-ms> <out.json>
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import {dist} from './sentinel.js';

const [jobsDir, home, intervalText, out] = process.argv.slice(2);
const {startEngine} = await import(`${dist}/commands/start-engine.js`);
const {loadConfig} = await import(`${dist}/config/load-config.js`);
const {listenMetrics} = await import(`${dist}/metrics/metrics-server.js`);
const {sentinelExposition} = await import(`${dist}/metrics/sentinel-exposition.js`);

const engine = startEngine(loadConfig({flags: {jobsDir, interval: `${intervalText}ms`, noAuto: true}, env: {}, home}));
/** @type {Array<{endMs: number, durationMs: number}>} epoch ms, to the microsecond. */
const ticks = [];
engine.on('tick', durationMs => ticks.push({endMs: performance.timeOrigin + performance.now(), durationMs}));
// As cli.tsx does: bind first, then serve the engine's exposition.
const server = await listenMetrics({host: '127.0.0.1', port: 0});
const exposition = sentinelExposition(engine, 'bench');
/** @type {Array<{ms: number, cpuMs: number}>} */
const scrapes = [];
server.serve(async () => {
	const start = performance.now();
	const cpu = process.cpuUsage();
	const made = await exposition();
	const used = process.cpuUsage(cpu);
	scrapes.push({ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000});
	return made;
});
process.stdout.write(`${JSON.stringify({port: server.address.port})}\n`);
process.once('SIGTERM', async () => {
	await engine.stop();
	await server.close();
	fs.writeFileSync(out, JSON.stringify({ticks, scrapes}));
	process.exit(0);
});
await engine.start();
