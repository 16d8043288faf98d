import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {columnNames, layoutColumns, rowWidth, shownColumns} from '../../source/ui/job-table/columns.js';
import {truncateMiddle} from '../../source/ui/text.js';
import {makeAudit, makeFakeEngine, makeInvalidJob, makeJob, makeSnapshot} from './fake-engine.js';
import {renderApp} from './render-app.js';

// Ids that differ only at their ends, as generated ids do: a cut must still leave them told apart.
const ids = ['train-resnet50-imagenet-run-01', 'train-resnet50-imagenet-run-02', 'eval', 'build-docs-nightly'];
const jobs = () => [
	...ids.map((id, index) => makeJob({id, severity: (['critical', 'high', 'low', 'ok'] as const)[index], silenceMs: 60_000 * (index + 1), cpuHistory: [10, 50, 90], rssHistory: [1, 2, 3], paused: index === 1})),
	makeInvalidJob('broken-manifest', 'job_manifest.json is not JSON'),
];

const lines = (frame: string) => frame.split('\n');

describe('the dashboard on narrow terminals', () => {
	for (const [columns, rows, titles, cut] of [
		[60, 15, ['ID', 'STATUS', 'SEV', 'SILENT', 'CPU', 'MEM'], 18],
		[80, 24, ['ID', 'ROLE', 'STATUS', 'PID', 'SEV', 'SILENT', 'CPU', 'MEM', 'UPTIME'], 16],
		[120, 40, ['ID', 'ROLE', 'STATUS', 'PID', 'SEV', 'SILENT', 'CPU', 'MEM', 'UPTIME', 'WHY'], 30],
	] as const) {
		it(`at ${columns}x${rows} keeps the ID column, the footer's help and quit, and fits`, async () => {
			const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs(), recentAudit: [makeAudit()]})), {columns, rows});
			const frame = lines(screen.frame());
			expect(frame.length).toBeLessThanOrEqual(rows - 1);
			for (const line of frame) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);

			const titleLine = frame.find(line => /^ {3}ID /.test(line));
			expect(titleLine, frame.join('\n')).toBeDefined();
			expect(titleLine!.trim().split(/\s+/).map(title => title.replace('▾', ''))).toEqual(titles);

			for (const id of ids) {
				// Cut in the middle, both ends kept.
				const shown = id.length <= cut ? `${id} ` : `${id.slice(0, Math.ceil((cut - 1) / 2))}…${id.slice(-Math.floor((cut - 1) / 2))} `;
				expect(frame.some(line => line.slice(3).startsWith(shown)), `${id} as ${shown}`).toBe(true);
			}
			expect(frame.find(line => line.includes('broken-manifest'))).toMatch(/invalid +job_manifest/);

			const footer = frame.at(-1)!;
			expect(footer).toMatch(/^\? help .*q quit$/);
			if (columns < 120) expect(footer).not.toContain('s sort');
		});
	}

	it('never lays the table out wider than the terminal, and the id gives way last', () => {
		fc.assert(
			fc.property(fc.integer({min: 24, max: 400}), fc.integer({min: 1, max: 10_000}), fc.integer({min: 1, max: 30}), (width, id, status) => {
				const widths = layoutColumns(width, {id, status});
				expect(rowWidth(widths)).toBeLessThanOrEqual(width);
				const shown = shownColumns(widths);
				expect(shown).toContain('id');
				expect(shown).toContain('sev');
				// Before any column but SEV is shown, the id has its first ten columns; before PID,
				// UPTIME or ROLE, sixteen.
				if (shown.length > 2) expect(widths.id).toBeGreaterThanOrEqual(Math.min(id, 10));
				if (shown.some(name => name === 'pid' || name === 'uptime' || name === 'role')) expect(widths.id).toBeGreaterThanOrEqual(Math.min(id, 16));
				// A wider terminal never hides a column a narrower one shows.
				const wider = shownColumns(layoutColumns(width + 1, {id, status}));
				for (const name of shown) expect(wider).toContain(name);
			}),
			{numRuns: 2000},
		);
		// WHY, the diagnosis, is the first to give way: every other column before it.
		// HOST only in the fleet view (a host width wanted).
		const local = columnNames.filter(name => name !== 'host');
		expect(shownColumns(layoutColumns(80, {id: 40, status: 21}))).toEqual(local.filter(name => name !== 'why'));
		expect(shownColumns(layoutColumns(150, {id: 40, status: 21}))).toEqual(local);
		expect(shownColumns(layoutColumns(170, {id: 40, status: 21, host: 8}))).toEqual(columnNames.filter(name => name !== 'pid' && name !== 'uptime'));
	});
});

describe('truncateMiddle', () => {
	it('keeps both ends of a long id, never wider than asked, never splitting a wide character', () => {
		expect(truncateMiddle('train-run-01', 20, '…')).toBe('train-run-01');
		expect(truncateMiddle('train-resnet50-imagenet-run-01', 12, '…')).toBe('train-…un-01');
		expect(truncateMiddle('train-resnet50-imagenet-run-01', 12, '...')).toBe('train...n-01');
		expect(truncateMiddle('ジョブジョブジョブ-01', 9, '…')).toBe('ジョ…-01');
		fc.assert(
			fc.property(fc.string({unit: 'grapheme', maxLength: 60}), fc.integer({min: 0, max: 40}), (text, width) => {
				const cut = truncateMiddle(text, width, '…');
				expect(stringWidth(cut)).toBeLessThanOrEqual(width);
				if (stringWidth(text) <= width) expect(cut).toBe(text);
			}),
		);
	});
});

describe('the intervention log', () => {
	const audit = (count: number) => Array.from({length: count}, (_, index) => makeAudit({action_id: String(index), job_id: `job-${index}`, ts: new Date(Date.UTC(2025, 2, 1, 11, 0, index)).toISOString()}));
	const logLines = (frame: string) => lines(frame).filter(line => /^\d\d:\d\d:\d\d terminate job-\d+ /.test(line));

	it('takes the rows the table leaves free on a tall terminal, the frame one row short of it', async () => {
		const few = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs().slice(0, 2), recentAudit: audit(20)})), {columns: 100, rows: 40});
		expect(logLines(few.frame())).toHaveLength(20);
		const many = await renderApp(makeFakeEngine(makeSnapshot({jobs: jobs().slice(0, 2), recentAudit: audit(60)})), {columns: 100, rows: 40});
		const frame = lines(many.frame());
		// 40 rows: header 2, table title and 2 jobs, log title, status line and footer leave 31 for entries.
		expect(logLines(many.frame())).toHaveLength(31);
		expect(frame).toHaveLength(39);
		expect(frame.filter(line => line.trim() === '')).toEqual([]);
		expect(logLines(many.frame())[0]).toContain('job-59');
	});

	it('keeps four entries when the jobs need every row', async () => {
		const crowd = Array.from({length: 100}, (_, index) => makeJob({id: `job-${String(index).padStart(3, '0')}`}));
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs: crowd, recentAudit: audit(60)})), {columns: 100, rows: 40});
		expect(logLines(screen.frame())).toHaveLength(4);
		expect(lines(screen.frame())).toHaveLength(39);
	});
});
