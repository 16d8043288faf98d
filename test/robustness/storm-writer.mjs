// A stand-in for Logist under load, run as a process of its own so its pace does not depend on the
// engine's event loop: rewrites job manifests at a fixed rate, changing statuses and stamps, half
// of the writes atomic (temporary file + rename) and half in place (truncate, then write), as both
// happen in the wild. Prints one JSON line when done: what it wrote and how fast.
//
// node storm-writer.mjs <jobs-dir> <names-file> <writes-per-second> <duration-ms> <seed>
import fs from 'node:fs';
import path from 'node:path';

const [jobsDir, namesFile, rateText, durationText, seedText] = process.argv.slice(2);
const names = JSON.parse(fs.readFileSync(namesFile, 'utf8'));
const rate = Number(rateText);
const durationMs = Number(durationText);
const total = Math.round((rate * durationMs) / 1000);
const statuses = ['RUNNING', 'PENDING', 'REVIEWING', 'SUCCESS', 'FAILED', 'EXECUTING', 'REVIEW_REQUIRED', 'CANCELLED'];

// mulberry32: the same storm for the same seed, so a failure can be replayed.
let seed = Number(seedText) >>> 0;
function random() {
	seed = (seed + 0x6d2b79f5) >>> 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = list => list[Math.floor(random() * list.length)];

// Logist writes naive local stamps; epoch seconds and zoned ISO appear too.
function stamp(ms) {
	const kind = Math.floor(random() * 3);
	if (kind === 0) return new Date(ms).toISOString();
	if (kind === 1) return ms / 1000;
	const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString();
	return local.slice(0, -1);
}

const models = new Map(names.map(name => [name, JSON.parse(fs.readFileSync(path.join(jobsDir, name, 'job_manifest.json'), 'utf8'))]));
const finalStatus = {};
let atomic = 0;
let inPlace = 0;
let maxLagMs = 0;

function writeOne(index) {
	const name = pick(names);
	const manifest = models.get(name);
	const now = Date.now();
	manifest.status = pick(statuses.filter(status => status !== manifest.status));
	manifest.updated_at = stamp(now);
	manifest.last_activity = stamp(now);
	manifest.history = [...(manifest.history ?? []).slice(-4), {event: 'STATUS_CHANGE', status: manifest.status, write: index, timestamp: stamp(now)}];
	const text = `${JSON.stringify(manifest, null, 2)}\n`;
	const file = path.join(jobsDir, name, 'job_manifest.json');
	if (random() < 0.5) {
		const temp = `${file}.tmp.${process.pid}`;
		fs.writeFileSync(temp, text);
		fs.renameSync(temp, file);
		atomic++;
	} else {
		fs.writeFileSync(file, text);
		inPlace++;
	}
	finalStatus[name] = manifest.status;
}

const startedAt = Date.now();
for (let index = 0; index < total; index++) {
	const due = startedAt + (index * 1000) / rate;
	const wait = due - Date.now();
	if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
	maxLagMs = Math.max(maxLagMs, Date.now() - due);
	writeOne(index);
}
const elapsedMs = Date.now() - startedAt;
process.stdout.write(`${JSON.stringify({writes: total, atomic, inPlace, elapsedMs, maxLagMs, finalStatus})}\n`);
