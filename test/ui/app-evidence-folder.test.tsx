// The detail view lists a job's past stops from its evidence folder too, not only from the audit
// entries held in memory: an operator opening a job whose interventions are older still sees them,
// e1 the newest, and `e` opens each. The folder is read when the view opens, not each frame.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {evidenceFolder, evidenceName, writeEvidence} from '../../source/sentinel/act/evidence/evidence-folder.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {makeAudit, makeFakeEngine, makeJob, makeSnapshot} from './fake-engine.js';
import {keys, renderApp} from './render-app.js';

const when = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.source;

/** A real evidence file of job `train` in `dir`, taken on day `day` of February 2025. */
async function keep(dir: string, day: number, action: 'recover' | 'terminate', actionId: string): Promise<string> {
	const record = {format: 1, action, action_id: actionId, actor: 'auto', job_id: 'train', dir, severity: 'critical', reason: `stop ${actionId}`, processes: [], outputs: [], manifest: {}};
	return writeEvidence(dir, evidenceName(Date.UTC(2025, 1, day, 10), action, actionId), JSON.stringify(record));
}

/** The lines of the detail view's Interventions section. */
function interventions(frame: string): string[] {
	const lines = frame.split('\n');
	const from = lines.findIndex(line => line.startsWith('Interventions'));
	const to = lines.findIndex((line, index) => index > from && line.startsWith('Output'));
	return lines.slice(from + 1, to).filter(line => line.trim() !== '').map(line => line.trimEnd());
}

describe('the detail view\'s interventions from the evidence folder', () => {
	it('lists stops older than the audit entries held here, newest first, and e opens each in turn', async () => {
		const dir = makeTempDir();
		await keep(dir, 20, 'terminate', 'act-1');
		await keep(dir, 21, 'recover', 'act-2');
		await keep(dir, 22, 'terminate', 'act-3');
		const job = makeJob({id: 'train', dir, severity: 'critical'});
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [job], recentAudit: [makeAudit({job_id: 'other', action: 'notify'})]})), {columns: 160, rows: 50});
		await screen.press(keys.enter);
		expect(screen.frame()).toContain("Interventions (e opens e1's evidence, e again the next older)");
		const older = ': its evidence \\(older than the log held here\\)';
		expect(interventions(screen.frame())).toEqual([
			expect.stringMatching(new RegExp(`^ {2}e1 +${when} terminate train action act-3${older}$`)),
			expect.stringMatching(new RegExp(`^ {2}e2 +${when} recover train action act-2${older}$`)),
			expect.stringMatching(new RegExp(`^ {2}e3 +${when} terminate train action act-1${older}$`)),
		]);

		for (const [count, id] of [[1, 'act-3'], [2, 'act-2'], [3, 'act-1'], [1, 'act-3']] as const) {
			await screen.press('e');
			expect(screen.frame()).toContain(`Evidence ${count} of 3 `);
			expect(screen.frame()).toContain(`action ${id}`);
		}
		await screen.press(keys.escape);
		expect(screen.frame()).toContain('Job train');
	});

	it('marks the entries held here and the older stops as one series, and lists only what is evidence, the newest 20', async () => {
		const dir = makeTempDir();
		for (let day = 1; day <= 24; day++) await keep(dir, day, 'recover', `old-${day}`);
		const newest = await keep(dir, 25, 'terminate', 'act-new');
		// What is no evidence of a stop: a crash's temporary file, another file.
		fs.writeFileSync(path.join(evidenceFolder(dir), `${path.basename(newest)}.4242.0123abcd.tmp`), '{"half');
		fs.writeFileSync(path.join(evidenceFolder(dir), 'notes.json'), '{}');
		const recentAudit = [makeAudit({job_id: 'train', action: 'terminate', result: 'ok', action_id: 'act-new', reason: 'stopped 1 process', evidence_file: newest})];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'train', dir})], recentAudit})), {columns: 160, rows: 60});
		await screen.press(keys.enter);
		const lines = interventions(screen.frame());
		expect(lines[0]).toMatch(/^ {2}e1 +\d\d:\d\d:\d\d terminate train ok .*stopped 1 process$/);
		expect(lines[1]).toMatch(new RegExp(`^ {2}e2 +${when} recover train action old-24:`));
		// Retention keeps 20: listing shows no more, whatever the folder holds.
		expect(lines).toHaveLength(20);
		expect(lines.at(-1)).toMatch(new RegExp(`^ {2}e20 ${when} recover train action old-6:`));
		expect(screen.frame()).not.toMatch(/old-5:|\.tmp|notes\.json/);
	});

	it('reads the folder when the view opens, not each frame: a file written meanwhile shows on the next opening', async () => {
		const dir = makeTempDir();
		await keep(dir, 20, 'terminate', 'act-1');
		const engine = makeFakeEngine(makeSnapshot({jobs: [makeJob({id: 'train', dir})]}));
		const screen = await renderApp(engine, {columns: 160, rows: 50});
		await screen.press(keys.enter);
		expect(interventions(screen.frame())).toHaveLength(1);

		await keep(dir, 21, 'terminate', 'act-2');
		engine.setSnapshot(makeSnapshot({jobs: [makeJob({id: 'train', dir, silenceMs: 5000})], tick: 2}));
		await screen.settle();
		expect(interventions(screen.frame())).toHaveLength(1);

		await screen.press(keys.escape, keys.enter);
		expect(interventions(screen.frame())).toEqual([expect.stringContaining('e1'), expect.stringContaining('e2')]);
		expect(interventions(screen.frame())[0]).toContain('action act-2');
	});
});
