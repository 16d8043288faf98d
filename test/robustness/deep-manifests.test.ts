// Issue 14, failing safe: a manifest nested 100,000 levels deep was taken as valid, and every
// recover of it then failed with "Maximum call stack size exceeded", each tick, unaudited, the
// process never stopped. SPEC section 2 bounds the nesting: past 64 levels a job is invalid, shown
// with the reason, and never acted on. At 64 it is an ordinary job.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {nestedManifest, processStart, startSleeper, tenMinutesMs, age} from '../helpers/job-faults.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {readAudit, startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const depths = {'deep-100000': 100_000, 'deep-65': 65, 'deep-64': 64} as const;
const tooDeep = 'job_manifest.json nests deeper than 64 levels';

/** One job per depth, each RUNNING and silent for ten minutes, each naming a live process of its own. */
async function nestedJobs() {
	const jobsDir = makeTempDir('sentinel-deep-');
	const jobs = [];
	for (const [name, depth] of Object.entries(depths)) {
		const pid = await startSleeper();
		const stamp = new Date(Date.now() - tenMinutesMs).toISOString();
		const dir = writeJob(jobsDir, name, nestedManifest({job_id: name, status: 'RUNNING', process_id: pid, process_start: processStart(pid), last_activity: stamp}, depth));
		age(path.join(dir, 'job_manifest.json'), tenMinutesMs);
		jobs.push({name, depth, pid, dir, bytes: fs.readFileSync(path.join(dir, 'job_manifest.json'))});
	}
	return {jobsDir, jobs};
}

describe('manifests nested past 64 levels', () => {
	it('the manifests are what they say: JSON nested that deep', async () => {
		const {jobs} = await nestedJobs();
		for (const job of jobs) {
			const parsed = JSON.parse(job.bytes.toString('utf8')) as {nested: unknown};
			let depth = 1;
			for (let value: unknown = parsed.nested; Array.isArray(value); value = value[0]) depth++;
			expect(depth, job.name).toBe(job.depth);
		}
	});

	it('status --json: 100,000 and 65 are invalid with the reason, 64 is valid; exit 1, nothing on stderr', async () => {
		const {jobsDir} = await nestedJobs();
		const result = await runCli(['status', '--json', jobsDir]);
		expect(result.stderr).toBe('');
		// Silent ten minutes of a 30-minute worker timeout: ok; the invalid jobs make it 1.
		expect(result.code).toBe(1);
		const {jobs} = JSON.parse(result.stdout) as {jobs: Array<{job_id: string; valid: boolean; error: string | null; severity: string | null}>};
		const byId = new Map(jobs.map(job => [job.job_id, job]));
		expect(byId.get('deep-100000')).toMatchObject({valid: false, error: tooDeep, severity: null});
		expect(byId.get('deep-65')).toMatchObject({valid: false, error: tooDeep, severity: null});
		expect(byId.get('deep-64')).toMatchObject({valid: true, error: null, severity: 'ok'});

		const table = await runCli(['status', jobsDir]);
		expect(table.code).toBe(1);
		expect(table.stdout.split('\n').find(row => row.startsWith('│ deep-100000 '))).toContain('nests deeper than 64 levels');
	});

	it('--headless never acts on the deep ones, and recovers the one at 64 like any other', {timeout: 60_000}, async () => {
		const {jobsDir, jobs} = await nestedJobs();
		const sentinel = startSentinel(jobsDir, ['--worker-timeout', '2s', '--interval', '250ms', '--grace', '1s']);
		for (const name of ['deep-100000', 'deep-65']) {
			const line = await sentinel.waitForLine(line => line.type === 'job.invalid' && line['job_id'] === name);
			expect(line['error']).toBe(tooDeep);
		}
		// The sentinel does act in this directory: the job at 64 levels is recovered and its process stopped.
		const result = await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'deep-64' && line['result'] !== 'started', 20_000);
		expect(result, JSON.stringify(result)).toMatchObject({action: 'recover', result: 'ok'});
		const shallow = jobs.find(job => job.name === 'deep-64')!;
		expect(await waitFor(() => !isAlive(shallow.pid), 5000)).toBe(true);
		const recovered = JSON.parse(fs.readFileSync(path.join(shallow.dir, 'job_manifest.json'), 'utf8')) as {status: string; nested: unknown[]};
		expect(recovered.status).toBe('PENDING');
		// Unknown fields are kept on a write, the nesting included.
		expect(JSON.stringify(recovered.nested)).toBe(`${'['.repeat(63)}${']'.repeat(63)}`);

		// More ticks: a job written now is found and assessed low 1 s later.
		writeJob(jobsDir, 'late', {job_id: 'late', status: 'RUNNING', last_activity: new Date().toISOString()});
		await sentinel.waitForLine(line => line.type === 'assessment' && line['job_id'] === 'late' && line['severity'] === 'low', 20_000);

		for (const job of jobs.filter(job => job.depth > 64)) {
			expect(isAlive(job.pid), `${job.name}'s process`).toBe(true);
			expect(fs.readFileSync(path.join(job.dir, 'job_manifest.json')).equals(job.bytes), `${job.name}'s manifest`).toBe(true);
			// Never locked, never backed up: no recover was ever begun.
			expect(fs.readdirSync(job.dir), job.name).toEqual(['job_manifest.json']);
			expect(sentinel.lines.filter(line => line['job_id'] === job.name).map(line => line.type).sort(), job.name).toEqual(['job.added', 'job.invalid']);
			expect(readAudit(jobsDir).filter(entry => entry.job_id === job.name), job.name).toEqual([]);
		}
		expect(sentinel.lines.filter(line => line.type === 'error')).toEqual([]);
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
		expect(sentinel.stderr()).toBe('');
	});
});
