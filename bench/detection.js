// SPEC sections 11-13 (issue 16): which hangs each rule catches, and how soon. A corpus of our own
// of stuck and healthy jobs, real processes writing real output on short timeouts, watched side
// by side by three rules over the same run:
//   - Logist's own sentinel, emulated here: it never reads activity; a job is flagged once the
//     time since monitoring began passes its role timeout (severity by elapsed / timeout: under
//     1.5 low, under 2 medium, under 3 high, else critical), and every flag ends in
//     INTERVENTION_REQUIRED;
//   - silence alone: `--headless --dry-run --no-loop-detection --cadence-threshold 0`;
//   - the full sentinel: `--headless --dry-run`.
// Both sentinels watch the same jobs directory (a dry run takes no leader lock); an intervention
// is their first `intervention` event for a job (the audit's dry-run entry, notify at medium).
//   node bench/detection.js [--timeout 16000] [--interval 1000] [--seconds 45]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {killGroup, killPid, onCleanup} from './lib/cleanup.js';
import {liveManifest, makeBenchDirs, writeManifest} from './lib/jobs.js';
import {isMain, numberFlag, runBench} from './lib/main.js';
import {fmt, loadNote} from './lib/report.js';
import {requireBuild, sentinelArgv, sentinelEnv} from './lib/sentinel.js';
import {max, sleep} from './lib/stats.js';

const jobScript = fileURLToPath(new URL('lib/detection-job.js', import.meta.url));

/** The corpus: each kind once, stuck or healthy. A prompt raises the silence tier by one (SPEC 12). */
const corpus = [
	{kind: 'loop-fresh-ids', stuck: true},
	{kind: 'retry-storm', stuck: true},
	{kind: 'silent-hang', stuck: true},
	{kind: 'prompt-wait', stuck: true, raised: true},
	{kind: 'network-wait', stuck: true},
	{kind: 'progress-bar', stuck: false},
	{kind: 'test-runner', stuck: false},
	{kind: 'bursty-agent', stuck: false},
	{kind: 'heartbeat', stuck: false},
];

/** A local TCP server that takes connections and never answers. */
async function startSilentServer() {
	const sockets = new Set();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('error', () => {});
	});
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	onCleanup('close the silent server', () => {
		for (const socket of sockets) socket.destroy();
		server.close();
	});
	return server.address().port;
}

/** Start one corpus job: its process (own group, output to logs/output.log), then its manifest. */
function startJob(jobsDir, markers, job, port) {
	const dir = path.join(jobsDir, job.kind);
	fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
	const manifestFile = path.join(dir, 'job_manifest.json');
	const output = fs.openSync(path.join(dir, 'logs', 'output.log'), 'a');
	const marker = path.join(markers, job.kind);
	const extra = job.kind === 'network-wait' ? String(port) : job.kind === 'heartbeat' ? manifestFile : '';
	// A prompt's standard input is a pipe this process holds and never writes.
	const stdin = job.kind === 'prompt-wait' ? 'pipe' : 'ignore';
	const child = spawn(process.execPath, [jobScript, job.kind, marker, extra], {stdio: [stdin, output, output], detached: true});
	fs.closeSync(output);
	onCleanup(`kill ${job.kind} ${child.pid}`, () => killGroup(child.pid));
	child.stdin?.on('error', () => {});
	writeManifest(jobsDir, job.kind, liveManifest(job.kind, child.pid, {command: `node detection-job.js ${job.kind}`}));
	return {...job, pid: child.pid, marker};
}

/** A headless dry-run sentinel; resolves its first intervention per job (entry ts, ms) as they come. */
function startSentinel(base, name, jobsDir, args) {
	const home = path.join(base, `home-${name}`);
	const argv = sentinelArgv(['--headless', jobsDir, '--dry-run', ...args]);
	const child = spawn(argv[0], argv.slice(1), {env: sentinelEnv(home), stdio: ['ignore', 'pipe', 'pipe']});
	onCleanup(`kill sentinel ${name} ${child.pid}`, () => killPid(child.pid));
	const first = new Map();
	const errors = [];
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += chunk));
	readline.createInterface({input: child.stdout}).on('line', line => {
		let event;
		try {
			event = JSON.parse(line);
		} catch {
			return;
		}
		if (event.type === 'error') errors.push(event.error ?? event.message);
		if (event.type === 'intervention' && !first.has(event.job_id)) first.set(event.job_id, {at: Date.parse(event.ts), action: event.action, evidence: event.evidence});
	});
	const stop = async () => {
		child.kill('SIGTERM');
		if (child.exitCode === null) await new Promise(resolve => child.once('exit', resolve));
	};
	return {first, errors, stop, stderr: () => stderr};
}

/** Logist's rule: every job still running is flagged once `timeoutMs` has passed since monitoring began. */
function logistFlag(monitorStart, timeoutMs) {
	return {at: monitorStart + timeoutMs, severity: 'low', result: 'INTERVENTION_REQUIRED'};
}

/** What one rule made of the corpus: per job, the delay after its hang began (null: missed) or a false flag. */
function judge(jobs, flagOf) {
	const results = jobs.map(job => {
		const flag = flagOf(job);
		if (!job.stuck) return {job, falseFlag: Boolean(flag), delay: null};
		return {job, falseFlag: false, delay: flag && job.hangAt !== null ? flag.at - job.hangAt : null};
	});
	const missed = results.filter(result => result.job.stuck && result.delay === null).length;
	const falseFlags = results.filter(result => result.falseFlag).length;
	return {results, missed, falseFlags};
}

const cell = delay => (delay === null ? 'missed' : fmt.ms(delay));

export async function detectionBench(flags) {
	requireBuild();
	const timeoutMs = numberFlag(flags, 'timeout');
	const intervalMs = numberFlag(flags, 'interval');
	const runMs = numberFlag(flags, 'seconds') * 1000;
	const {base, jobsDir} = makeBenchDirs('detection');
	const markers = path.join(base, 'markers');
	fs.mkdirSync(markers);
	const port = await startSilentServer();

	const common = ['--interval', `${intervalMs}ms`, '--worker-timeout', `${timeoutMs}ms`, '--critical-timeout', '1h', '--max-interventions', '1000'];
	const full = startSentinel(base, 'full', jobsDir, common);
	const silence = startSentinel(base, 'silence', jobsDir, [...common, '--no-loop-detection', '--cadence-threshold', '0']);
	const monitorStart = Date.now();
	const jobs = corpus.map(job => startJob(jobsDir, markers, job, port));
	await sleep(runMs);
	await Promise.all([full.stop(), silence.stop()]);
	for (const job of jobs) job.hangAt = fs.existsSync(job.marker) ? Number(fs.readFileSync(job.marker, 'utf8')) : null;
	const unmarked = jobs.filter(job => job.stuck && job.hangAt === null);
	if (unmarked.length > 0) throw new Error(`stuck jobs that never began their hang: ${unmarked.map(job => job.kind).join(', ')}`);
	if (full.first.size === 0) throw new Error(`the full sentinel intervened on nothing; stderr: ${full.stderr().slice(-1500)}`);

	const rules = {
		logist: judge(jobs, job => (monitorStart + timeoutMs <= monitorStart + runMs ? logistFlag(monitorStart, timeoutMs) : null)),
		silence: judge(jobs, job => silence.first.get(job.kind)),
		full: judge(jobs, job => full.first.get(job.kind)),
	};
	/** The threshold that applies to a hang: medium (notify), 0.75 T; a prompt's raised tier, 0.5 T. */
	const applies = job => (job.raised ? 0.5 : 0.75) * timeoutMs;
	const fullDelays = rules.full.results.filter(result => result.job.stuck);
	const late = fullDelays.filter(result => result.delay !== null && result.delay > applies(result.job) + intervalMs);
	const against = rule => `silence alone ${rule(rules.silence)}, Logist ${rule(rules.logist)}`;
	const rows = [
		{measure: 'missed hangs', ours: `${rules.full.missed} of ${fullDelays.length}`, peer: against(rule => rule.missed), ratio: '', budget: '0', pass: rules.full.missed === 0},
		{measure: 'false interventions', ours: `${rules.full.falseFlags} of ${jobs.length - fullDelays.length}`, peer: against(rule => rule.falseFlags), ratio: '', budget: '0', pass: rules.full.falseFlags === 0},
		...fullDelays.map(result => {
			const kind = result.job.kind;
			const bySilence = rules.silence.results.find(other => other.job.kind === kind).delay;
			const byLogist = rules.logist.results.find(other => other.job.kind === kind).delay;
			const limit = applies(result.job) + intervalMs;
			return {
				measure: `delay after the hang began: ${kind}`,
				ours: cell(result.delay),
				peer: `silence alone ${cell(bySilence)}, Logist ${cell(byLogist)}`,
				ratio: '',
				budget: `<= ${fmt.ms(limit)} (${result.job.raised ? '0.5' : '0.75'} T + one interval)`,
				pass: result.delay !== null && result.delay <= limit,
			};
		}),
		...rules.full.results
			.filter(result => !result.job.stuck)
			.map(result => ({
				measure: `healthy, left alone: ${result.job.kind}`,
				ours: result.falseFlag ? `intervened (${full.first.get(result.job.kind).evidence?.filter(signal => signal.severity !== 'ok').map(signal => signal.name).join(', ')})` : 'left alone',
				peer: `silence alone ${rules.silence.results.find(other => other.job.kind === result.job.kind).falseFlag ? 'intervened' : 'left alone'}, Logist intervened`,
				ratio: '',
				budget: 'left alone',
				pass: !result.falseFlag,
			})),
	];
	const worst = max(fullDelays.map(result => result.delay ?? 0));
	return {
		title: `Detection: ${jobs.length} real jobs (${fullDelays.length} stuck), worker timeout T = ${fmt.ms(timeoutMs)}, --interval ${intervalMs}ms, ${runMs / 1000} s`,
		rows,
		notes: [
			`every stuck job works for 5 s (a new line a second), then hangs: it loops with fresh timestamps and ids, retries a rate limit, goes silent, asks on a pipe nobody writes, or waits on a local server that never answers; the delay runs from its last new line`,
			`healthy: a progress bar (a new percentage a second), a test runner (a line per test, 0.3-1.8 s apart), a bursty agent (4 lines, then 5-7 s of silence), a heartbeat (heartbeat_at in its manifest every 3 s, no output)`,
			`an intervention is a sentinel's first \`intervention\` event for a job (dry run: notify at medium, 0.75 T; a prompt's tier is raised, 0.5 T); Logist's rule flags every job still running at T after monitoring began, healthy or not; worst delay of the full sentinel ${fmt.ms(worst)}${late.length ? `; late: ${late.map(result => result.job.kind).join(', ')}` : ''}`,
			...(full.errors.length ? [`full sentinel errors: ${full.errors.slice(0, 3).join(' | ')}`] : []),
			loadNote(),
		],
	};
}

if (isMain(import.meta.url)) {
	await runBench(detectionBench, {timeout: {type: 'string', default: '16000'}, interval: {type: 'string', default: '1000'}, seconds: {type: 'string', default: '45'}});
}
