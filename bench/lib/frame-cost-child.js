// Run by first-frame.js in a process of its own (React's build is chosen by NODE_ENV at import):
// the real App from dist/ drawn by Ink to a 120x40 stand-in terminal, fed snapshots of a real
// Engine over a jobs directory; each frame timed from the snapshot's publication to the frame
// written to the terminal.
//   node bench/lib/frame-cost-child.js <jobs-dir> <home> <frames> <out.json>
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import {PassThrough, Writable} from 'node:stream';
import {dist} from './sentinel.js';
import {sleep} from './stats.js';

// Ink draws only the last frame when CI is set, and decides so when it is imported.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

const [jobsDir, home, framesText, out] = process.argv.slice(2);
const frames = Number(framesText);
const {createElement} = await import('react');
const {render} = await import('ink');
const {App} = await import(`${dist}/ui/App.js`);
const {Engine} = await import(`${dist}/sentinel/engine.js`);
const {loadConfig} = await import(`${dist}/config/load-config.js`);

/** A terminal of 120x40 that keeps only when each write happened. */
class Terminal extends Writable {
	isTTY = true;
	columns = 120;
	rows = 40;
	writes = [];
	bytes = 0;
	/** Called on every write (the frame timer waits on it). */
	onWrite = () => {};
	_write(chunk, _encoding, done) {
		this.writes.push(performance.now());
		this.onWrite();
		this.bytes += chunk.length;
		done();
	}
}

const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
const stdout = new Terminal();
const stderr = new Terminal();

const engine = new Engine(loadConfig({flags: {jobsDir}, env: {}, home}), {watch: false});
await engine.tick();
let snapshot = engine.getSnapshot();
const listeners = new Set();
const handle = {
	getSnapshot: () => snapshot,
	subscribe(listener) {
		listeners.add(listener);
		return () => listeners.delete(listener);
	},
	act: async () => {
		throw new Error('no actions in the benchmark');
	},
	setAuto() {},
	setPaused() {},
	stop: async () => {},
};

const inkRenderMs = [];
const mountStarted = performance.now();
const instance = render(createElement(App, {engine: handle, ascii: false, onQuit() {}}), {
	stdout,
	stdin,
	stderr,
	exitOnCtrlC: false,
	patchConsole: false,
	// As run-dashboard.tsx draws.
	incrementalRendering: false,
	maxFps: 60,
	onRender: metrics => inkRenderMs.push(metrics.renderTime),
});
const mountMs = (stdout.writes[0] ?? Number.NaN) - mountStarted;
await sleep(200);

const manifests = fs
	.readdirSync(jobsDir)
	.filter(name => !name.startsWith('.'))
	.map(name => `${jobsDir}/${name}/job_manifest.json`);
const frameMs = [];
let late = 0;
let unchanged = 0;
for (let frame = 0; frame < frames; frame++) {
	// Untimed: a manifest changes and the engine ticks, as between two frames of the dashboard.
	const file = manifests[frame % manifests.length];
	const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.writeFileSync(file, JSON.stringify({...manifest, status: frame % 2 ? 'RUNNING' : 'PENDING'}, null, 2));
	await engine.tick();
	// Past Ink's 30 fps throttle, so the frame is drawn at once rather than on its trailing edge.
	await sleep(50);
	const writesBefore = stdout.writes.length;
	const published = performance.now();
	snapshot = engine.getSnapshot();
	for (const listener of listeners) listener();
	if (stdout.writes.length > writesBefore) frameMs.push(stdout.writes.at(-1) - published);
	else {
		// Not drawn synchronously: take the next write within a second; none means nothing visible changed.
		const next = await new Promise(resolve => {
			const timer = setTimeout(() => resolve(null), 1000);
			stdout.onWrite = () => {
				clearTimeout(timer);
				resolve(stdout.writes.at(-1));
			};
		});
		stdout.onWrite = () => {};
		if (next === null) unchanged++;
		else {
			frameMs.push(next - published);
			late++;
		}
	}
}
instance.unmount();
await engine.stop();
fs.writeFileSync(out, JSON.stringify({mountMs, frameMs, inkRenderMs: inkRenderMs.slice(1), late, unchanged, jobs: snapshot.jobs.length, nodeEnv: process.env.NODE_ENV ?? null, bytes: stdout.bytes}));
process.exit(0);
