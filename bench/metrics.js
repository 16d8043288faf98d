// SPEC section 9: `/metrics` with 1,000 jobs answers a scrape within 50 ms (p95) and never delays a
// tick. The engine runs as headless mode runs it (lib/metrics-child.js: startEngine, --metrics on a
// loopback port, the bin's node flags) on 1,000 jobs, each naming a live process of its own (so
// every job has CPU and memory series). Windows without a scraper alternate with windows scraped
// every second over one kept-alive connection, as Prometheus scrapes; every tick's start and
// duration is recorded by the engine's own event, and each window's ticks are compared: how long
// they took, and how late each began against its due time (the previous start plus one interval).
// Then a burst of back-to-back scrapes.
//   node bench/metrics.js [--jobs 1000] [--window 20] [--pairs 3] [--interval 2000] [--burst 100]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';
import {killPid, onCleanup} from './lib/cleanup.js';
import {makeBenchDirs, writeThousandJobs} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {fmt, loadNote, ratio, spreadText} from './lib/report.js';
import {binNodeFlags, dist, requireBuild, sentinelEnv} from './lib/sentinel.js';
import {max, median, percentile, sleep, spreadVerdict, waitUntil} from './lib/stats.js';

const budgetMs = 50;
const now = () => performance.timeOrigin + performance.now();

/** GET /metrics over `agent`: when it began and ended (epoch ms), and the body. */
function scrapeOnce(port, agent) {
	return new Promise((resolve, reject) => {
		const start = now();
		const request = http.get({host: '127.0.0.1', port, path: '/metrics', agent}, response => {
			const chunks = [];
			response.on('data', chunk => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				if (response.statusCode !== 200) reject(new Error(`scrape answered ${response.statusCode}: ${text.slice(0, 200)}`));
				else resolve({start, end: now(), ms: now() - start, bytes: Buffer.byteLength(text), text});
			});
		});
		request.on('error', reject);
	});
}

function countSeries(text, name) {
	return text.split('\n').filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).length;
}

/** Each tick's start (epoch ms), duration and lateness against its due time (null for the first). */
function tickTimes(ticks, intervalMs) {
	const starts = ticks.map(tick => ({start: tick.endMs - tick.durationMs, durationMs: tick.durationMs}));
	return starts.map((tick, index) => ({...tick, due: index === 0 ? null : starts[index - 1].start + intervalMs, lateMs: index === 0 ? null : tick.start - starts[index - 1].start - intervalMs}));
}

/** How many scrapes the scraped windows made. */
function scrapedWindowsCount(windows) {
	return windows.reduce((sum, window) => sum + window.scrapes.length, 0);
}

const summary = values => `p50 ${fmt.ms(median(values))}, p95 ${fmt.ms(percentile(values, 95))}, max ${fmt.ms(max(values))}`;

export async function metricsBench(flags) {
	requireBuild();
	if (!fs.existsSync(path.join(dist, 'metrics', 'metrics-server.js'))) throw new Error(`${dist} has no metrics/: run \`npm run build\``);
	const count = numberFlag(flags, 'jobs');
	const windowMs = numberFlag(flags, 'window') * 1000;
	const pairs = numberFlag(flags, 'pairs');
	const intervalMs = numberFlag(flags, 'interval');
	const burst = numberFlag(flags, 'burst');
	const {base, jobsDir} = makeBenchDirs('metrics');
	const home = path.join(base, 'home');
	fs.mkdirSync(home);
	const lifetime = 120 + (2 * pairs * windowMs) / 1000;
	await writeThousandJobs(jobsDir, count, {live: count, lifetimeSeconds: lifetime});

	const out = path.join(base, 'ticks.json');
	const script = fileURLToPath(new URL('lib/metrics-child.js', import.meta.url));
	const child = spawn(process.execPath, [...binNodeFlags(), script, jobsDir, home, String(intervalMs), out], {env: sentinelEnv(home), stdio: ['ignore', 'pipe', 'pipe']});
	onCleanup(`kill metrics child ${child.pid}`, () => killPid(child.pid));
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += chunk));
	const exited = new Promise(resolve => child.once('exit', resolve));
	const port = await new Promise((resolve, reject) => {
		readline.createInterface({input: child.stdout}).once('line', line => resolve(JSON.parse(line).port));
		child.once('exit', code => reject(new Error(`the sentinel exited (${code}) before serving: ${stderr.slice(-2000)}`)));
	});
	const agent = new http.Agent({keepAlive: true, maxSockets: 1});
	onCleanup('close the scraper', () => agent.destroy());

	// Every job sampled (a memory series each), and the watcher's first scan over, before timing.
	const ready = await waitUntil(async () => countSeries((await scrapeOnce(port, agent)).text, 'sentinel_job_memory_bytes') >= count, 120_000, 1000);
	if (!ready) throw new Error(`the sentinel never sampled all ${count} jobs; stderr: ${stderr.slice(-2000)}`);
	await sleep(5000);

	const windows = [];
	for (let pair = 0; pair < pairs; pair++) {
		for (const scraped of [false, true]) {
			const window = {scraped, start: now(), end: 0, scrapes: []};
			if (scraped) {
				for (let second = 0; second < windowMs / 1000; second++) {
					const due = window.start + second * 1000;
					await sleep(Math.max(0, due - now()));
					const {text, ...scrape} = await scrapeOnce(port, agent);
					window.scrapes.push(scrape);
				}
			}
			await sleep(Math.max(0, window.start + windowMs - now()));
			window.end = now();
			windows.push(window);
		}
	}
	const bursts = [];
	let last = '';
	for (let index = 0; index < burst; index++) {
		const {text, ...scrape} = await scrapeOnce(port, agent);
		bursts.push(scrape.ms);
		last = text;
	}
	agent.destroy();
	child.kill('SIGTERM');
	await exited;
	const recorded = JSON.parse(fs.readFileSync(out, 'utf8'));
	const ticks = tickTimes(recorded.ticks, intervalMs);
	// The sentinel's own side of the scrapes timed above (the warm-up's left out): the work a scrape
	// is, apart from the wait for a core on a busy machine.
	const served = recorded.scrapes.slice(-(scrapedWindowsCount(windows) + burst));

	const inWindow = window => ticks.filter(tick => tick.lateMs !== null && tick.start >= window.start && tick.start < window.end);
	const quiet = windows.filter(window => !window.scraped);
	const scrapedWindows = windows.filter(window => window.scraped);
	const ticksOf = list => list.flatMap(inWindow);
	const scrapeMs = scrapedWindows.flatMap(window => window.scrapes.map(scrape => scrape.ms));
	const windowP95 = scrapedWindows.map(window => percentile(window.scrapes.map(scrape => scrape.ms), 95));
	// A tick that fell due while a scrape was being answered is the one a scrape could delay.
	const collided = scrapedWindows.flatMap(window => inWindow(window).filter(tick => window.scrapes.some(scrape => tick.due >= scrape.start && tick.due <= scrape.end)));
	const late = list => ticksOf(list).map(tick => tick.lateMs);
	const took = list => ticksOf(list).map(tick => tick.durationMs);
	const lateP95 = list => list.map(window => percentile(inWindow(window).map(tick => tick.lateMs), 95));
	// Never delayed: each scraped window's p95 lateness within the spread of the quiet windows' (plus 1 ms, a timer's own slack).
	const quietWorst = Math.max(...lateP95(quiet));
	const delayVerdict = spreadVerdict(lateP95(scrapedWindows), value => value <= quietWorst + 1);

	return {
		title: `/metrics with ${count} jobs (each naming a live process), the engine as --headless runs it at --interval ${intervalMs}ms`,
		rows: [
			{measure: 'scrape, one a second (kept-alive connection): request to last byte', ours: summary(scrapeMs), peer: `${budgetMs} ms`, ratio: ratio(percentile(scrapeMs, 95), budgetMs), budget: `p95 <= ${budgetMs} ms`, pass: spreadVerdict(windowP95, value => value <= budgetMs)},
			{measure: 'the same, p95 of each scraped window', ours: spreadText(windowP95, fmt.ms, 'windows'), peer: '', ratio: '', budget: '', pass: null},
			{measure: `scrape, ${burst} back to back`, ours: summary(bursts), peer: `${budgetMs} ms`, ratio: ratio(percentile(bursts, 95), budgetMs), budget: '', pass: null},
			{measure: 'making the exposition, in the sentinel: wall time', ours: summary(served.map(scrape => scrape.ms)), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'making the exposition, in the sentinel: its CPU time', ours: summary(served.map(scrape => scrape.cpuMs)), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'one exposition', ours: `${(Buffer.byteLength(last) / 1024).toFixed(0)} KiB, ${last.split('\n').filter(line => line && !line.startsWith('#')).length} samples`, peer: '', ratio: '', budget: '', pass: null},
			{measure: 'tick duration, windows without a scraper', ours: summary(took(quiet)), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'tick duration, windows scraped every second', ours: summary(took(scrapedWindows)), peer: fmt.ms(percentile(took(quiet), 95)), ratio: ratio(percentile(took(scrapedWindows), 95), percentile(took(quiet), 95)), budget: '', pass: null},
			{measure: 'tick start after its due time, without a scraper', ours: summary(late(quiet)), peer: '', ratio: '', budget: '', pass: null},
			{measure: 'tick start after its due time, scraped every second', ours: summary(late(scrapedWindows)), peer: `${fmt.ms(quietWorst)} (worst quiet window's p95)`, ratio: '', budget: 'never delays a tick: each window\'s p95 within the quiet ones\' + 1 ms', pass: delayVerdict},
			{measure: 'ticks that fell due while a scrape was answered', ours: `${collided.length} of ${ticksOf(scrapedWindows).length}${collided.length ? `, started ${collided.map(tick => fmt.ms(tick.lateMs)).join(', ')} late` : ''}`, peer: '', ratio: '', budget: '', pass: null},
		],
		notes: [
			`${pairs} pairs of ${windowMs / 1000} s windows, quiet then scraped; ${ticksOf(windows).length} ticks timed by the engine's 'tick' event; the scraper is this process (node http, keep-alive), as Prometheus keeps one connection per target`,
			`ticks are due one interval after the previous one began (source/sentinel/tick-timer.ts): lateness is the timer's own slack plus whatever held the event loop when it fired`,
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(metricsBench, {jobs: {type: 'string', default: '1000'}, window: {type: 'string', default: '20'}, pairs: {type: 'string', default: '3'}, interval: {type: 'string', default: '2000'}, burst: {type: 'string', default: '100'}});
}
