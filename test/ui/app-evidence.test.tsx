// The detail view lists a job's interventions and opens the evidence of its stops (`e` the newest,
// `e` again each older), every string of the file sanitised; Esc goes back to the job, then to the table.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createInterventions} from '../../source/sentinel/act/intervention-runner.js';
import {evidenceName, writeEvidence} from '../../source/sentinel/act/evidence/evidence-folder.js';
import {confirmationFor} from '../../source/sentinel/act/manual-action.js';
import type {Engine} from '../../source/sentinel/engine.js';
import {startTestEngine} from '../helpers/engine.js';
import {terminateJob} from '../helpers/evidence-tree.js';
import {processStart, startSleeper} from '../helpers/job-faults.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {makeAudit, makeFakeEngine, makeJob, makeSnapshot} from './fake-engine.js';
import {makeFleetJob, makeFleetSnapshot, makeHost} from './fake-fleet.js';
import {keys, renderApp} from './render-app.js';

const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

describe('evidence in the detail view', () => {
	it('marks the stop that kept evidence, opens it with e, and goes back with Esc', async () => {
		const dir = makeTempDir();
		const name = evidenceName(Date.parse('2025-03-01T11:59:00Z'), 'terminate', 'act-1');
		const evidence = {
			format: 1, action: 'terminate', action_id: 'act-1', actor: 'auto', job_id: 'train', dir, severity: 'critical', reason: 'silent for 1h',
			processes: [{pid: 4242, ppid: 1, state: 'S', name: 'python', syscall: 'read', wchan: 'pipe_read', waits_on: [{kind: 'pipe', name: 'pipe:[77]'}], command: 'python train.py \u001B[2J--token ***', cwd: dir, fds: [{fd: 0, target: 'pipe:[77]'}]}],
			outputs: [{file: 'logs/output.log', lines: ['epoch 3 \u001B]0;pwned\u0007done']}],
			manifest: {status: 'RUNNING'},
		};
		const file = await writeEvidence(dir, name, JSON.stringify(evidence));
		const job = makeJob({id: 'train', dir, pid: 4242, severity: 'critical'});
		const recentAudit = [makeAudit({job_id: 'train', action: 'terminate', result: 'ok', reason: 'stopped 1 process', evidence_file: file})];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit})), {columns: 110, rows: 50});
		await screen.press(keys.enter);
		expect(screen.frame()).toMatch(/ {2}e1 +\d\d:\d\d:\d\d terminate train ok/);

		await screen.press('e');
		const frame = screen.frame();
		expect(frame).toContain('Evidence 1 of 1 (Esc: back to the job)  ');
		expect(frame).toContain('terminate of job train (auto, critical), action act-1');
		expect(frame).toContain('pid 4242 (parent 1) S python: syscall read, wchan pipe_read, waits on pipe pipe:[77]');
		expect(frame).toContain('command: python train.py --token ***');
		expect(frame).toContain('  epoch 3 done');
		expect(frame).not.toMatch(controls);

		await screen.press(keys.escape);
		expect(screen.frame()).toContain('Job train');
		await screen.press(keys.escape);
		expect(screen.frame()).toMatch(/ID +ROLE/);
	});

	it('says so when the job kept no evidence, and is no key of the table', async () => {
		const job = makeJob({id: 'quiet', dir: makeTempDir()});
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit: [makeAudit({job_id: 'quiet', action: 'notify'})]})), {columns: 110, rows: 40});
		// A key of the detail view alone: in the table it means nothing.
		await screen.press('e');
		expect(screen.frame()).toMatch(/ID +ROLE/);
		await screen.press(keys.enter, 'e');
		expect(screen.frame()).toContain('quiet: no evidence kept');
	});

	it("lists the job's two real stops that kept evidence, newest first, and opens the older one with e e", {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		const first = await startSleeper();
		const dir = runningJob(jobsDir, first);
		const {engine} = await startTestEngine(jobsDir, {grace: '1s'}, {interventions: createInterventions});
		const older = await recoverJob(engine, 'train');
		// Run again by a new process, then terminated.
		const second = await startSleeper();
		runningJob(jobsDir, second);
		expect(await waitFor(() => {
			const job = jobView(engine, 'train')?.job;
			return job?.valid === true && job.pid === second && job.status === 'RUNNING';
		})).toBe(true);
		const newer = await terminateJob(engine, 'train');
		for (const entry of [older, newer]) expect(entry['evidence_file'], entry.reason).toEqual(expect.stringContaining(path.join(dir, '.sentinel', 'evidence', '')));
		// The audit entries as the dashboard's snapshot has them, once it holds the terminate's result (its `started` entry may come a snapshot earlier).
		expect(await waitFor(() => engine.getSnapshot().recentAudit.some(entry => entry.action_id === newer.action_id && entry.result !== 'started'))).toBe(true);
		const {recentAudit} = engine.getSnapshot();
		await engine.stop();

		const job = makeJob({id: 'train', dir, pid: second, severity: 'critical'});
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit})), {columns: 250, rows: 50});
		await screen.press(keys.enter);
		const listed = screen.frame();
		expect(listed).toContain("Interventions (e opens e1's evidence, e again the next older)");
		// Newest first: the terminate is e1, the recover e2.
		expect(listed).toMatch(/\n {2}e1 +\d\d:\d\d:\d\d terminate train ok[^\n]*\n {6}\d\d:\d\d:\d\d terminate train started[^\n]*\n {2}e2 +\d\d:\d\d:\d\d recover train ok/);

		await screen.press('e', 'e');
		const opened = screen.frame();
		expect(opened).toContain(`Evidence 2 of 2 (e: the newest again, Esc: back to the job)  ${older['evidence_file'] as string}`);
		expect(opened).toContain(`recover of job train (user, `);
		expect(opened).toContain(`action ${older.action_id}`);
		expect(opened).toContain(`pid ${first} `);
		expect(opened).not.toContain(`pid ${second} `);

		// After the oldest, the newest again; Esc back to the job, then to the table.
		await screen.press('e');
		expect(screen.frame()).toContain(`Evidence 1 of 2 (e: the next older, Esc: back to the job)  ${newer['evidence_file'] as string}`);
		expect(screen.frame()).toContain(`pid ${second} `);
		await screen.press(keys.escape);
		expect(screen.frame()).toContain('Job train');
		await screen.press(keys.escape);
		expect(screen.frame()).toMatch(/ID +ROLE/);
	});

	it('in the fleet view says the evidence is on the job\'s host, and opens no file here', async () => {
		const dir = makeTempDir();
		const file = await writeEvidence(dir, evidenceName(Date.parse('2025-03-01T11:59:00Z'), 'terminate', 'act-1'), '{"format": 1}');
		const recentAudit = [makeAudit({job_id: 'train', host: 'alpha', evidence_file: file})];
		const screen = await renderApp(makeFakeEngine(makeFleetSnapshot([makeHost('alpha')], [makeFleetJob('alpha', {id: 'train', dir})], {recentAudit})), {columns: 110, rows: 40});
		await screen.press(keys.enter, 'e');
		expect(screen.frame()).toContain("evidence is kept on the job's host: sentinel-tui log --evidence ID there");
		expect(screen.frame()).toContain('Interventions seen from here');
		expect(screen.frame()).not.toContain('Evidence 1 of 1');
	});

	it('says in one line that an evidence file is gone, too big, or a link in its place', async () => {
		const dir = makeTempDir();
		const outside = path.join(makeTempDir(), 'elsewhere.json');
		fs.writeFileSync(outside, '{"format": 1}');
		const write = (minute: number, id: string) => writeEvidence(dir, evidenceName(Date.parse(`2025-03-01T11:5${minute}:00Z`), 'terminate', id), '{}');
		const link = await write(3, 'link');
		const big = await write(2, 'big');
		const gone = await write(1, 'gone');
		fs.rmSync(link);
		fs.symlinkSync(outside, link);
		fs.writeFileSync(big, `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
		fs.rmSync(gone);
		const recentAudit = [gone, big, link].map((file, index) => makeAudit({job_id: 'train', action: 'terminate', result: 'ok', action_id: `act-${index}`, evidence_file: file}));
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'train', dir})], recentAudit})), {columns: 200, rows: 40});
		await screen.press(keys.enter);
		const said = async () => {
			await screen.press('e');
			// What lies between the panel's title and the status line and footer under it.
			const lines = screen.frame().split('\n');
			const from = lines.findIndex(line => line.startsWith('Evidence '));
			return lines.slice(from + 1, -2).filter(line => line.trim() !== '');
		};
		// Newest first: the link, the big one, the gone one.
		expect(await said()).toEqual([expect.stringMatching(/^The evidence file cannot be read: .*link/)]);
		expect(await said()).toEqual([expect.stringMatching(/^The evidence file cannot be read: .*larger than 1048576 bytes: not read/)]);
		expect(await said()).toEqual(['The evidence file is gone.']);
	});
});

/** A RUNNING job `train` of process `pid`, fresh (not silent): the sentinel leaves it alone until asked. */
function runningJob(jobsDir: string, pid: number): string {
	return writeJob(jobsDir, 'train', {job_id: 'train', status: 'RUNNING', role: 'worker', process_id: pid, process_start: processStart(pid)});
}

function jobView(engine: Engine, jobId: string) {
	return engine.getSnapshot().jobs.find(view => view.job.jobId === jobId);
}

/** A manual recover of `jobId` as the dashboard's `r` sends it, once confirmed: its result entry. */
async function recoverJob(engine: Engine, jobId: string) {
	const view = jobView(engine, jobId);
	if (!view) throw new Error(`no job ${jobId} in the engine's snapshot`);
	const confirmation = confirmationFor('recover', view);
	if ('refused' in confirmation) throw new Error(confirmation.refused);
	return engine.act('recover', confirmation.target);
}
