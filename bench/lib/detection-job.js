// One job of the detection benchmark's corpus, a real process writing real output to its stdout
// (the benchmark points it at the job's logs/output.log):
//   node detection-job.js KIND MARKER_FILE [PORT|MANIFEST]
// A stuck kind writes the moment its hang begins (its last new line, epoch ms) to MARKER_FILE,
// outside the jobs directory, so the benchmark can measure the delay from there. A healthy kind
// never writes it. Each ends by itself after five minutes, so nothing outlives a killed benchmark.
import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

const [kind, marker, extra] = process.argv.slice(2);
const say = line => process.stdout.write(`${line}\n`);
const stamp = () => new Date().toISOString();
const hex = () => Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, 'a');
const hangBegins = () => fs.writeFileSync(marker, String(Date.now()));
setTimeout(() => process.exit(0), 5 * 60_000).unref();

/**
 * `steps` new lines a second, then `after()` once. A silent hang begins with the last of them;
 * a loop's with its first line, new once (`repeating` says so: the loop marks it).
 */
function work(steps, what, after, repeating = false) {
	let step = 0;
	const timer = setInterval(() => {
		step += 1;
		say(`${stamp()} step ${step}: ${what} part ${step}`);
		if (step < steps) return;
		clearInterval(timer);
		if (!repeating) hangBegins();
		after();
	}, 1000);
}

/** `line()` every `everyMs`, the first one marked as the last new line. */
function loop(line, everyMs) {
	say(line());
	hangBegins();
	setInterval(() => say(line()), everyMs);
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A tool call id as an agent's API makes them: `toolu_01` and 22 random letters and digits. */
const toolId = () => `toolu_01${Array.from({length: 22}, () => base62[Math.floor(Math.random() * 62)]).join('')}`;

const kinds = {
	// An agent calling the same tool again and again: fresh timestamps and call ids, nothing new.
	'loop-fresh-ids': () =>
		work(5, 'planned', () => loop(() => `${stamp()} tool_call id=${toolId()} trace=${randomUUID()} read_file {"path": "src/index.ts"}`, 1000), true),
	// A retry storm: rate limited, retrying, the attempt counter climbing, never getting through.
	'retry-storm': () =>
		work(
			5,
			'fetched',
			() => {
				let attempt = 0;
				loop(() => `${stamp()} WARN Rate limited (429). Retrying in 1s (attempt ${++attempt}/500) request_id=${hex()}${hex()}`, 700);
			},
			true,
		),
	// The classic hang: talks, then silent and alive.
	'silent-hang': () => work(5, 'compiled', () => setInterval(() => {}, 60_000)),
	// Asks a question on its standard input, a pipe the benchmark holds and never writes.
	'prompt-wait': () =>
		work(5, 'upgraded', () => {
			process.stdout.write('Continue? [y/N] ');
			process.stdin.on('data', () => {});
		}),
	// Waits for a reply from a server (the benchmark's) that never answers.
	'network-wait': () =>
		work(5, 'uploaded', () => {
			const socket = net.connect(Number(extra), '127.0.0.1', () => socket.write('GET /status HTTP/1.1\r\n\r\n'));
			socket.on('error', () => process.exit(1));
		}),
	// A download's progress bar, a new percentage each second.
	'progress-bar': () => {
		let done = 0;
		setInterval(() => {
			done = Math.min(1000, done + 7 + Math.floor(Math.random() * 10));
			say(`Downloading model.bin ${Math.floor(done / 10)}% (${done}/1000 MB) ${(5 + Math.random() * 3).toFixed(1)} MB/s`);
		}, 1000);
	},
	// A test runner: a result line per test, at uneven moments.
	'test-runner': () => {
		let test = 0;
		const next = () => {
			test += 1;
			say(`PASS tests/test_api.py:${10 * test} test_case_${test} (${Math.floor(Math.random() * 900)}ms)`);
			setTimeout(next, 300 + Math.random() * 1500);
		};
		next();
	},
	// An agent that thinks in long pauses: a burst of new lines, then 5-7 s of silence.
	'bursty-agent': () => {
		let turn = 0;
		const burst = () => {
			turn += 1;
			for (let line = 1; line <= 4; line++) setTimeout(() => say(`${stamp()} turn ${turn}: edit ${line} of file_${turn}.ts`), line * 300);
			setTimeout(burst, 5000 + Math.random() * 2000);
		};
		burst();
	},
	// A long computation that prints nothing and stamps heartbeat_at in its manifest every 3 s.
	heartbeat: () =>
		setInterval(() => {
			const manifest = JSON.parse(fs.readFileSync(extra, 'utf8'));
			manifest.heartbeat_at = stamp();
			fs.writeFileSync(`${extra}.tmp`, JSON.stringify(manifest, null, 2));
			fs.renameSync(`${extra}.tmp`, extra);
		}, 3000),
};

if (!kinds[kind]) {
	process.stderr.write(`unknown kind ${kind}\n`);
	process.exit(2);
}
kinds[kind]();
