// The detail view lists a job's interventions and opens the evidence of its last stop (`e`),
// every string of the file sanitised; Esc goes back to the job, then to the table.
import {describe, expect, it} from 'vitest';
import {evidenceName, writeEvidence} from '../../source/sentinel/act/evidence/evidence-folder.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {makeAudit, makeFakeEngine, makeJob, makeSnapshot} from './fake-engine.js';
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
		const file = writeEvidence(dir, name, JSON.stringify(evidence));
		const job = makeJob({id: 'train', dir, pid: 4242, severity: 'critical'});
		const recentAudit = [makeAudit({job_id: 'train', action: 'terminate', result: 'ok', reason: 'stopped 1 process', evidence_file: file})];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit})), {columns: 110, rows: 50});
		await screen.press(keys.enter);
		expect(screen.frame()).toMatch(/ {2}e .*terminate train ok/);

		await screen.press('e');
		const frame = screen.frame();
		expect(frame).toContain('Evidence ');
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
});
