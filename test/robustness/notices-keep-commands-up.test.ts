// Issue 14, "the dashboard and status end on anything the engine reports": a lock Logist holds, a
// notify hook that fails, a manifest nested 100,000 levels deep, a `.lock` that is a link, a stamp
// in the future. Each is said (a line on the dashboard, an `error` line headless, stderr for
// status) and none ends the command or changes its exit code.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {fileFacts, linkLockOutside, nestedManifest, startSleeper, writeSilentJob} from '../helpers/job-faults.js';
import {isAlive, startProcess, waitFor} from '../helpers/processes.js';
import {readAudit, startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {fillUp, mountTmpfs} from '../helpers/tmpfs.js';

/** A stack trace line, as Node prints one. */
const stackLine = /^\s+at /m;

/** Take `<jobDir>/.lock` with a real `flock -x` that holds it for a minute, as Logist does; resolves once it is held. */
async function holdLock(jobDir: string): Promise<void> {
	const holder = startProcess('flock', ['-x', path.join(jobDir, '.lock'), 'sh', '-c', 'echo held; exec sleep 60'], {stdio: ['ignore', 'pipe', 'ignore']});
	let said = '';
	holder.stdout!.on('data', chunk => (said += String(chunk)));
	expect(await waitFor(() => said.includes('held'), 5000), 'flock holds the lock').toBe(true);
}

function bytesOf(jobDir: string): Buffer {
	return fs.readFileSync(path.join(jobDir, 'job_manifest.json'));
}

/** A jobs directory with a job whose lock is held, a job whose `.lock` leads outside, and a job nested 100,000 deep; all silent from now, each with a live process. */
async function troubledJobs() {
	const jobsDir = makeTempDir('sentinel-notices-');
	const outside = makeTempDir('sentinel-outside-');
	const heldPid = await startSleeper();
	const held = writeSilentJob(jobsDir, 'held', heldPid, {}, 0);
	await holdLock(held);
	const linkedPid = await startSleeper();
	const linked = writeSilentJob(jobsDir, 'linked', linkedPid, {}, 0);
	const target = linkLockOutside(linked, outside);
	const deepPid = await startSleeper();
	const deep = writeJob(jobsDir, 'deep', nestedManifest({job_id: 'deep', status: 'RUNNING', process_id: deepPid}, 100_000));
	return {jobsDir, held, heldPid, linked, linkedPid, target, targetFacts: fileFacts(target), deep, deepPid, before: {held: bytesOf(held), linked: bytesOf(linked), deep: bytesOf(deep)}};
}

describe('notices never end a command', () => {
	it('the dashboard stays up through a held lock, a failing hook, a 100,000-deep manifest and a .lock link, and shows the notices', {timeout: 90_000}, async () => {
		const jobs = await troubledJobs();
		const pane = await openShell(200, 30);
		const dashboard = runInShell(pane, [process.execPath, cliPath, jobs.jobsDir, '--worker-timeout', '4s', '--interval', '500ms', '--on-intervention', 'exit 3', '--grace', '1s']);
		const pid = await dashboard.pid();
		await pane.waitFor('the three jobs', screen => ['held', 'linked', 'deep'].every(id => screen.some(row => row.includes(` ${id} `))));

		// The notices come and go (the newest shows): collect every screen until each has been seen.
		const wanted = {lockHeld: /held: its lock is held elsewhere/, hookFailed: /notify hook failed/};
		const seen = new Set<string>();
		const screens: string[] = [];
		const allSeen = await waitFor(() => {
			const screen = pane.capture().join('\n');
			screens.push(screen);
			for (const [name, pattern] of Object.entries(wanted)) if (pattern.test(screen)) seen.add(name);
			return seen.size === Object.keys(wanted).length;
		}, 30_000);
		expect(allSeen, `notices seen: ${[...seen].join(', ')}; last screen:\n${screens.at(-1)}`).toBe(true);
		// The `.lock` link: the job reached its recover, which was refused and audited.
		expect(await waitFor(() => readAudit(jobs.jobsDir).some(entry => entry.job_id === 'linked' && entry.result === 'failed'), 20_000), 'a failed entry for linked').toBe(true);

		// Still running, still drawing: the header on top, the deep job shown invalid with its reason.
		expect(isAlive(pid), 'the dashboard process').toBe(true);
		expect(isAlive(pane.panePid), 'the pane\'s shell').toBe(true);
		const screen = await pane.waitFor('the dashboard after the notices', rows => rows[0]!.startsWith('sentinel-tui ') && rows.some(row => row.includes('nests deeper than 64 levels')));
		expect(screen.join('\n')).not.toMatch(stackLine);
		// Nothing was done to any of them: processes alive, manifests byte for byte, the link's target untouched.
		for (const processId of [jobs.heldPid, jobs.linkedPid, jobs.deepPid]) expect(isAlive(processId), `process ${processId}`).toBe(true);
		expect(bytesOf(jobs.held).equals(jobs.before.held), 'held manifest').toBe(true);
		expect(bytesOf(jobs.linked).equals(jobs.before.linked), 'linked manifest').toBe(true);
		expect(bytesOf(jobs.deep).equals(jobs.before.deep), 'deep manifest').toBe(true);
		expect(fileFacts(jobs.target)).toBe(jobs.targetFacts);
		expect(fs.readlinkSync(path.join(jobs.linked, '.lock'))).toBe(jobs.target);
		expect(readAudit(jobs.jobsDir).filter(entry => entry.job_id === 'deep')).toEqual([]);

		pane.press('q');
		expect(await dashboard.exitCode()).toBe(0);
		expect(pane.capture().join('\n')).not.toMatch(stackLine);
	});

	it('--headless prints each notice as an error line and keeps running', {timeout: 60_000}, async () => {
		const jobs = await troubledJobs();
		writeJob(jobs.jobsDir, 'ahead', {job_id: 'ahead', status: 'RUNNING', last_activity: new Date(Date.now() + 3_600_000).toISOString()});
		const sentinel = startSentinel(jobs.jobsDir, ['--worker-timeout', '4s', '--interval', '500ms', '--on-intervention', 'exit 3', '--grace', '1s']);
		const isError = (pattern: RegExp) => (line: {type: string; [field: string]: unknown}) => line.type === 'error' && pattern.test(String(line['error']));
		await sentinel.waitForLine(isError(/ahead: activity stamp .* is in the future/), 20_000);
		await sentinel.waitForLine(isError(/notify hook failed/), 20_000);
		await sentinel.waitForLine(isError(/held: its lock is held elsewhere/), 20_000);
		await sentinel.waitForLine(line => line.type === 'job.invalid' && line['job_id'] === 'deep' && /nests deeper than 64 levels/.test(String(line['error'])), 20_000);
		await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'linked' && line['result'] === 'failed', 20_000);

		expect(isAlive(sentinel.pid)).toBe(true);
		expect(sentinel.stderr()).toBe('');
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
		expect(sentinel.lines.at(-1)?.type).toBe('sentinel.stopped');
		expect(sentinel.lines.filter(line => line.type === 'unparsed')).toEqual([]);
		expect(bytesOf(jobs.held).equals(jobs.before.held)).toBe(true);
		expect(fileFacts(jobs.target)).toBe(jobs.targetFacts);
	});

	it('--headless says a manifest that cannot be written (its folder on a full disk) as an error line, and runs on', {timeout: 60_000}, async ({skip}) => {
		const mount = mountTmpfs('128k');
		if ('problem' in mount) return skip(`cannot mount a tmpfs: ${mount.problem}`);
		const pid = await startSleeper();
		const jobDir = writeSilentJob(mount.dir, 'stuck', pid);
		const before = bytesOf(jobDir);
		fillUp(path.join(mount.dir, 'filler.bin'));
		// The audit log elsewhere: the action begins (its started entry is flushed), then its write fails.
		const auditLog = path.join(makeTempDir('sentinel-audit-'), 'audit.jsonl');
		const sentinel = startSentinel(mount.dir, ['--audit-log', auditLog, '--worker-timeout', '2s', '--interval', '250ms', '--grace', '1s']);
		const failed = await sentinel.waitForLine(line => line.type === 'intervention' && line['job_id'] === 'stuck' && line['result'] === 'failed', 20_000);
		expect(failed['reason']).toMatch(/could not write the manifest: ENOSPC.*no signal sent/);
		expect(bytesOf(jobDir).equals(before), 'manifest unchanged').toBe(true);
		expect(isAlive(pid)).toBe(true);
		expect(isAlive(sentinel.pid)).toBe(true);
		// A notice too, as for a held lock: the line the dashboard shows, an error line here.
		const said = await sentinel.waitForLine(line => line.type === 'error' && line['job_id'] === 'stuck', 10_000);
		expect(said['error']).toMatch(/manifest/);
		await sentinel.stop();
		expect(sentinel.child.exitCode).toBe(0);
	});

	it('status and status --json with a manifest stamped an hour ahead: the report on stdout, the notice once on stderr, exit 0', async () => {
		const jobsDir = makeTempDir('sentinel-notices-');
		const ahead = new Date(Date.now() + 3_600_000).toISOString();
		writeJob(jobsDir, 'ahead', {job_id: 'ahead', status: 'RUNNING', last_activity: ahead});
		writeJob(jobsDir, 'also-ahead', {job_id: 'also-ahead', status: 'RUNNING', updated_at: ahead});
		writeJob(jobsDir, 'calm', {job_id: 'calm', status: 'RUNNING', last_activity: new Date().toISOString()});
		const [table, json] = await Promise.all([runCli(['status', jobsDir]), runCli(['status', '--json', jobsDir])]);

		for (const [name, result] of Object.entries({table, json})) {
			expect(result.code, `${name}: ${result.stderr}`).toBe(0);
			expect(result.stdout, name).not.toMatch(stackLine);
			expect(result.stderr, name).not.toMatch(stackLine);
			const notices = result.stderr.trimEnd().split('\n');
			// One line for each job, however many ticks saw it.
			expect(notices, name).toHaveLength(2);
			for (const jobId of ['ahead', 'also-ahead']) {
				expect(notices.filter(line => line.startsWith(`sentinel-tui: ${jobId}: activity stamp `) && line.includes('in the future')), `${name}: ${jobId}`).toHaveLength(1);
			}
		}
		const document = JSON.parse(json.stdout) as {jobs: Array<{job_id: string; valid: boolean; severity: string}>};
		expect(document.jobs.map(job => [job.job_id, job.valid, job.severity]).sort()).toEqual([
			['ahead', true, 'ok'],
			['also-ahead', true, 'ok'],
			['calm', true, 'ok'],
		]);
		for (const jobId of ['ahead', 'also-ahead', 'calm']) expect(table.stdout).toMatch(new RegExp(`│ ${jobId} +│`));
	});
});
