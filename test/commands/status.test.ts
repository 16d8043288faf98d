import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {cliEnv, runCli, type Finished} from '../helpers/cli.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {startNode, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

// End to end: the built binary over copies of real Logist job directories.

const fixtures = logistFixtures;
/** Directory name -> job_id of the Logist fixtures. */
const logistJobs = {'test-job': 'test-job', test_error_job_sim: 'test_error_job_sim', test_poststep_job: 'sample-implementation'} as const;
const jobKeys = ['job_id', 'dir', 'status', 'role', 'pid', 'severity', 'silence_s', 'cpu_percent', 'rss_bytes', 'valid', 'error', 'evidence', 'diagnosis'];

type StatusJob = {
	job_id: string;
	dir: string;
	status: string | null;
	role: string | null;
	pid: number | null;
	severity: string | null;
	silence_s: number | null;
	cpu_percent: number | null;
	rss_bytes: number | null;
	valid: boolean;
	error: string | null;
	evidence: Array<{name: string; severity: string; value: number | string; threshold: number | string; message: string}>;
	diagnosis: {kind: string; pid: number | null; command: string | null; detail: string} | null;
};
type StatusDocument = {generated_at: string; jobs_dir: string; jobs: StatusJob[]};

const minutes = (count: number) => count * 60_000;

/** Set the times of every file in `dir` and one level below to `ago` ms before now. */
function ageFiles(dir: string, ago: number): void {
	const when = new Date(Date.now() - ago);
	for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), when, when);
	}
}

/** A jobs directory holding writable copies of the Logist job directories, files `ago` ms old. */
function copyLogist(ago: number): string {
	const jobsDir = makeTempDir('sentinel-status-');
	for (const name of Object.keys(logistJobs)) {
		const target = path.join(jobsDir, name);
		fs.cpSync(path.join(fixtures, name), target, {recursive: true});
		fs.chmodSync(target, 0o755);
		for (const file of fs.readdirSync(target)) fs.chmodSync(path.join(target, file), 0o644);
	}
	ageFiles(jobsDir, ago);
	return jobsDir;
}

function editManifest(jobDir: string, change: (manifest: Record<string, unknown>) => void): void {
	const file = path.join(jobDir, 'job_manifest.json');
	const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
	change(manifest);
	fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
}

async function statusJson(jobsDir: string, ...flags: string[]): Promise<Finished & {document: StatusDocument}> {
	const result = await runCli(['status', '--json', ...flags, jobsDir]);
	expect(result.stderr).toBe('');
	return {...result, document: JSON.parse(result.stdout) as StatusDocument};
}

function job(document: StatusDocument, jobId: string): StatusJob {
	const found = document.jobs.find(item => item.job_id === jobId);
	if (!found) throw new Error(`no job ${jobId} in ${JSON.stringify(document.jobs.map(item => item.job_id))}`);
	return found;
}

/** An error exit of `status`: code 3, nothing on stdout, one line on stderr naming the trouble. */
async function expectCannotCheck(args: string[], naming: string, env?: NodeJS.ProcessEnv): Promise<void> {
	const result = await runCli(args, env ? {env} : {});
	expect(result.code).toBe(3);
	expect(result.stdout).toBe('');
	expect(result.stderr).toMatch(/^sentinel-tui: [^\n]+\n$/);
	expect(result.stderr).toContain(naming);
}

describe('sentinel-tui status --json', () => {
	test('prints every Logist job with exactly the fields of SPEC section 7, exit 0 when all is quiet', async () => {
		const jobsDir = copyLogist(minutes(10));
		const before = Date.now();
		const {code, document} = await statusJson(jobsDir);
		expect(code).toBe(0);
		expect(Object.keys(document)).toEqual(['generated_at', 'jobs_dir', 'jobs']);
		expect(document.generated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(Date.parse(document.generated_at)).toBeGreaterThanOrEqual(before - 1000);
		expect(Date.parse(document.generated_at)).toBeLessThanOrEqual(Date.now());
		expect(document.jobs_dir).toBe(jobsDir);
		expect(document.jobs.map(item => item.job_id).sort()).toEqual(Object.values(logistJobs).sort());
		for (const [name, jobId] of Object.entries(logistJobs)) {
			const item = job(document, jobId);
			expect(Object.keys(item)).toEqual(jobKeys);
			expect(item).toMatchObject({dir: path.join(jobsDir, name), role: 'worker', pid: null, severity: 'ok', cpu_percent: null, rss_bytes: null, valid: true, error: null});
			expect(item.silence_s).toBeGreaterThanOrEqual(599);
			expect(item.silence_s).toBeLessThan(660);
			// A job in a monitored status has a diagnosis (SPEC section 12), as the last of its evidence.
			const monitored = item.status === 'RUNNING';
			expect(item.evidence).toHaveLength(monitored ? 2 : 1);
			expect(Object.keys(item.evidence[0]!)).toEqual(['name', 'severity', 'value', 'threshold', 'message']);
			expect(item.evidence[0]).toMatchObject({name: 'silence', severity: 'ok', threshold: minutes(15)});
			if (monitored) expect(item.diagnosis).toEqual({kind: 'sleeping', pid: null, command: null, detail: 'the manifest names no process to look at: judged on silence alone'});
			else expect(item.diagnosis).toBeNull();
		}
		expect(job(document, 'test-job').status).toBe('PENDING');
		expect(job(document, 'test_error_job_sim').status).toBe('INTERVENTION_REQUIRED');
		expect(job(document, 'sample-implementation').status).toBe('RUNNING');
		// One check reads, never writes: no state folder, no lock, no backup.
		expect(fs.readdirSync(jobsDir).sort()).toEqual(Object.keys(logistJobs).sort());
		expect(fs.readdirSync(path.join(jobsDir, 'test_poststep_job')).sort()).toEqual(['jobHistory.json', 'job_manifest.json']);
	});

	test('timeouts place a worker silent 40 minutes in each tier, with the exit codes of monitoring plugins', async () => {
		const jobsDir = copyLogist(minutes(10));
		ageFiles(path.join(jobsDir, 'test_poststep_job'), minutes(40));
		const tiers = [
			{tier: 'ok', flags: ['--worker-timeout', '2h', '--critical-timeout', '3h'], code: 0},
			{tier: 'low', flags: ['--worker-timeout', '60m', '--critical-timeout', '2h'], code: 0},
			{tier: 'medium', flags: ['--worker-timeout', '50m'], code: 1},
			{tier: 'high', flags: [], code: 2},
			{tier: 'critical', flags: ['--critical-timeout', '30m'], code: 2},
		];
		// Separate processes on one read-only directory: run side by side to keep the file fast.
		const results = await Promise.all(tiers.map(async ({flags}) => statusJson(jobsDir, ...flags)));
		for (const [index, {tier, code}] of tiers.entries()) {
			const {document, code: exitCode} = results[index]!;
			const running = job(document, 'sample-implementation');
			expect({tier, severity: running.severity, exitCode}).toEqual({tier, severity: tier, exitCode: code});
			expect(running.silence_s).toBeGreaterThanOrEqual(2399);
			expect(running.silence_s).toBeLessThan(2460);
			expect(running.evidence[0]).toMatchObject({name: 'silence', severity: tier});
			// Worst first: the job that raised the exit code leads the list.
			if (tier !== 'ok') expect(document.jobs[0]!.job_id).toBe('sample-implementation');
			// Jobs outside the monitored statuses are shown, never judged, however old.
			expect(job(document, 'test_error_job_sim').severity).toBe('ok');
		}
	});

	test('a manifest\'s last_activity counts: old files, a stamp 25 minutes ago, medium', async () => {
		const jobsDir = copyLogist(minutes(10));
		const jobDir = path.join(jobsDir, 'test_poststep_job');
		editManifest(jobDir, manifest => {
			manifest['last_activity'] = new Date(Date.now() - minutes(25)).toISOString();
		});
		ageFiles(jobDir, minutes(180));
		const {code, document} = await statusJson(jobsDir);
		const running = job(document, 'sample-implementation');
		// 25 of 30 minutes: medium, not the critical that three hours of file silence would give.
		expect(running.severity).toBe('medium');
		expect(running.silence_s).toBeGreaterThanOrEqual(1499);
		expect(running.silence_s).toBeLessThan(1560);
		expect(code).toBe(1);
	});

	test('a REVIEWING job is a supervisor and meets its shorter timeout first', async () => {
		const jobsDir = copyLogist(minutes(12));
		editManifest(path.join(jobsDir, 'test-job'), manifest => {
			manifest['status'] = 'REVIEWING';
		});
		ageFiles(jobsDir, minutes(12));
		const {code, document} = await statusJson(jobsDir);
		// 12 minutes: 0.8 of a supervisor's 15, 0.4 of a worker's 30.
		expect(job(document, 'test-job')).toMatchObject({role: 'supervisor', status: 'REVIEWING', severity: 'medium'});
		expect(job(document, 'test-job').evidence[0]).toMatchObject({threshold: minutes(15) * 0.75});
		expect(job(document, 'sample-implementation')).toMatchObject({role: 'worker', severity: 'ok'});
		expect(code).toBe(1);
	});

	test('an invalid job is listed with its reason and makes exit 1; a high job still makes 2', async () => {
		const jobsDir = copyLogist(minutes(10));
		writeJob(jobsDir, 'broken', '{"job_id": "broken", "status": ');
		writeJob(jobsDir, 'pid-one', {job_id: 'pid-one', status: 'RUNNING', process_id: 1});
		const quiet = await statusJson(jobsDir);
		expect(quiet.code).toBe(1);
		for (const jobId of ['broken', 'pid-one']) {
			const item = job(quiet.document, jobId);
			expect(Object.keys(item)).toEqual(jobKeys);
			expect(item).toMatchObject({dir: path.join(jobsDir, jobId), valid: false, status: null, role: null, pid: null, severity: null, evidence: []});
			expect(item.error).toEqual(expect.stringMatching(/\S/));
		}
		expect(job(quiet.document, 'broken').error).toMatch(/JSON/);

		ageFiles(path.join(jobsDir, 'test_poststep_job'), minutes(45));
		const loud = await statusJson(jobsDir);
		expect(job(loud.document, 'sample-implementation').severity).toBe('high');
		expect(loud.code).toBe(2);
	});

	test('a job with a live process shows its CPU and memory, and its process in the evidence', async () => {
		const jobsDir = copyLogist(minutes(10));
		const child = startNode('setInterval(() => {}, 1000)');
		await waitFor(() => fs.existsSync(`/proc/${child.pid}`));
		writeJob(jobsDir, 'live', {job_id: 'live', status: 'RUNNING', role: 'worker', process_id: child.pid});
		const {code, document} = await statusJson(jobsDir);
		const live = job(document, 'live');
		expect(live).toMatchObject({pid: child.pid, severity: 'ok', valid: true});
		expect(live.cpu_percent).toEqual(expect.any(Number));
		expect(live.rss_bytes).toBeGreaterThan(1024 * 1024);
		expect(live.evidence.map(signal => signal.name)).toEqual(expect.arrayContaining(['silence', 'memory', 'process']));
		expect(live.evidence.find(signal => signal.name === 'process')).toMatchObject({severity: 'ok', value: 'alive'});
		expect(code).toBe(0);
	});
});

describe('sentinel-tui status, table and errors', () => {
	test('without --json prints a bordered table naming every job, with the same exit code', async () => {
		const jobsDir = copyLogist(minutes(10));
		ageFiles(path.join(jobsDir, 'test_poststep_job'), minutes(45));
		writeJob(jobsDir, 'broken', 'not json');
		const result = await runCli(['status', jobsDir]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(2);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^┌─+┬/);
		expect(lines.at(-1)).toMatch(/^└─+┴.*┘$/);
		expect(lines[1]).toMatch(/│ JOB +│ ROLE +│ STATUS +│.*│ SEVERITY +│/);
		for (const jobId of [...Object.values(logistJobs), 'broken']) {
			expect(lines.some(line => line.startsWith(`│ ${jobId} `))).toBe(true);
		}
		const running = lines.find(line => line.startsWith('│ sample-implementation '));
		expect(running).toMatch(/│ high +│/);
		expect(running).toMatch(/silent 45m/);
		expect(lines.find(line => line.startsWith('│ broken '))).toMatch(/│ INVALID +│.*not JSON/);
	});

	test('an empty jobs directory says so and exits 0', async () => {
		const jobsDir = makeTempDir();
		const result = await runCli(['status', jobsDir]);
		expect(result).toMatchObject({code: 0, stdout: `No jobs in ${jobsDir}\n`, stderr: ''});
	});

	test('could not check: a bad flag, a bad value, a bad config file or a missing directory exit 3', async () => {
		const jobsDir = copyLogist(minutes(10));
		const home = makeTempDir('sentinel-home-');
		const badJson = path.join(home, 'bad.json');
		fs.writeFileSync(badJson, '{"interval": ');
		const cases: Array<[args: string[], naming: string]> = [
			[['status', '--bogus', jobsDir], '--bogus'],
			[['status', '--json', '-x', jobsDir], '-x'],
			[['status', '--json', '--interval', 'x', jobsDir], '--interval'],
			[['status', '--json', '--memory-limit', 'lots', jobsDir], '--memory-limit'],
			[['status', '--json', jobsDir, '--interval'], '--interval'],
			[['status', '--json', '--interval=', jobsDir], '--interval'],
			[['status', '--json', '--interval', '1s', '--interval', '2s', jobsDir], '--interval'],
			[['status', '--json', jobsDir, 'extra'], 'extra'],
			[['status', '--json', path.join(jobsDir, 'nowhere')], path.join(jobsDir, 'nowhere')],
			[['status', '--json', '--config', badJson, jobsDir], badJson],
			[['status', '--json', '--config', path.join(home, 'missing.json'), jobsDir], 'missing.json'],
		];
		await Promise.all(cases.map(async ([args, naming]) => expectCannotCheck(args, naming)));

		// The default config file, found through HOME, is checked the same way.
		const userConfig = path.join(home, '.config', 'sentinel-tui', 'config.json');
		fs.mkdirSync(path.dirname(userConfig), {recursive: true});
		fs.writeFileSync(userConfig, JSON.stringify({workerTimeout: 'soon'}));
		await expectCannotCheck(['status', '--json', jobsDir], '--worker-timeout', cliEnv(home));
		fs.writeFileSync(userConfig, JSON.stringify({noSuchOption: 1}));
		await expectCannotCheck(['status', '--json', jobsDir], 'noSuchOption', cliEnv(home));
	});
});
