import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {startProcess} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {startTmux, type TmuxPane} from '../helpers/tmux.js';

// The built dashboard and `status` in a real terminal at the sizes SPEC section 10 names: usable
// at 80x24, legible at 60x15. tmux runs the command itself (no CI in its environment: Ink would
// print only the last frame).

// Look-alike ids that differ only at their ends, as generated ids do.
const ids = ['train-resnet50-imagenet-run-01', 'train-resnet50-imagenet-run-02', 'eval', 'build-docs-nightly'];

function jobsDir(): string {
	const dir = makeTempDir('sentinel-narrow-');
	for (const id of ids) writeJob(dir, id, {job_id: id, status: 'RUNNING', role: 'worker', process_id: startProcess('sleep', ['1000']).pid});
	return dir;
}

/** Run `args` of the built binary in a `columns` x `rows` pane. */
function open(columns: number, rows: number, args: string[]): TmuxPane {
	return startTmux({command: [process.execPath, cliPath, ...args], columns, rows, home: makeTempDir('sentinel-home-')});
}

/** Every row fits, the header on top, the last row left free; the screen's rows. */
function expectFits(pane: TmuxPane, columns: number, rows: number): string[] {
	const screen = pane.capture({joined: true});
	for (const row of screen) expect(stringWidth(row), JSON.stringify(row)).toBeLessThanOrEqual(columns);
	expect(screen[0]).toMatch(/^sentinel-tui /);
	expect(screen.findLastIndex(row => row.trim() !== '') + 1).toBeLessThanOrEqual(rows - 1);
	return screen;
}

const footerOf = (screen: string[]) => screen[screen.findLastIndex(row => row.trim() !== '')]!;

describe('the dashboard at 60x15 and 80x24', () => {
	for (const [columns, rows, idWidth] of [
		[60, 15, 18],
		[80, 24, 16],
	] as const) {
		test(`at ${columns}x${rows}: the ID column shows each job told apart, the footer ? help and q quit`, async () => {
			const pane = open(columns, rows, [jobsDir(), '--no-auto', '--interval', '1s']);
			const screen = await pane.waitFor('the table', rows => rows.some(row => /^ {3}ID /.test(row)) && ids.every(id => rows.some(row => row.includes(id.slice(-2)))));
			expectFits(pane, columns, rows);
			const cells = ids.map(id => screen.find(row => /^[› ][‖ ] \S/.test(row) && row.slice(3).startsWith(id.slice(0, 4)) && row.slice(3, 3 + idWidth).trimEnd().endsWith(id.slice(-2))));
			for (const [index, row] of cells.entries()) expect(row, `${ids[index]} in ${screen.join('\n')}`).toBeDefined();
			expect(new Set(cells.map(row => row!.slice(3, 3 + idWidth))).size).toBe(ids.length);
			expect(footerOf(screen)).toMatch(/^\? help .*q quit$/);

			pane.press('?');
			const help = await pane.waitFor('the help', rows => rows.some(row => row.includes('Show or hide this help')));
			expectFits(pane, columns, rows);
			if (rows >= 24) for (const term of ['actor:', 'observer:', '‖ before an id', 'n/m interventions/h:']) expect(help.some(row => row.startsWith(` ${term}`)), term).toBe(true);
		});
	}
});

describe('status in a terminal', () => {
	test('cuts a 10,000-character id so the table fits an 80-column terminal', async () => {
		const dir = jobsDir();
		const longId = `long-${'x'.repeat(9990)}-end`;
		writeJob(dir, 'long', {job_id: longId, status: 'PENDING'});
		// `; sleep` keeps the pane (and its screen) after status ends.
		const pane = startTmux({command: ['sh', '-c', `'${process.execPath}' '${cliPath}' status '${dir}'; echo "exit $?"; sleep 100`], columns: 80, rows: 24, home: makeTempDir('sentinel-home-')});
		const screen = await pane.waitFor('status to end', rows => rows.some(row => /^exit \d$/.test(row)));
		const table = pane.capture({joined: true}).filter(row => /^[┌│├└]/.test(row));
		expect(table.length).toBe(3 + 2 * (ids.length + 1));
		for (const row of table) expect(stringWidth(row), row).toBeLessThanOrEqual(80);
		expect(screen.find(row => row.startsWith('│ long-'))).toMatch(/^│ long-x*…x*-end +│/);
	});
});
