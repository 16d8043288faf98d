import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {startProcess} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {startTmux} from '../helpers/tmux.js';

// A prompt on a real terminal (SPEC section 12): a job that asks a question in one tmux pane
// nobody types into, and the built dashboard in another, wide enough for its WHY column.

describe('a prompt on a terminal, in the dashboard', () => {
	test('is waiting-for-input, WHY says input, and the detail view names the terminal', async () => {
		const home = makeTempDir('sentinel-home-');
		const asking = startTmux({command: ['bash', '--norc', '--noprofile', '-c', 'read -r -p "Continue? [y/N] " answer; echo "got $answer"; sleep 100'], columns: 80, rows: 10, home});
		await asking.waitFor('the question', screen => screen.some(row => row.startsWith('Continue? [y/N]')));
		const terminal = fs.readlinkSync(`/proc/${asking.panePid}/fd/0`);
		expect(terminal).toMatch(/^\/dev\/pts\/\d+$/);

		const jobsDir = makeTempDir('sentinel-prompt-');
		writeJob(jobsDir, 'asking', {job_id: 'asking', status: 'RUNNING', role: 'worker', pid: asking.panePid});
		writeJob(jobsDir, 'sleeping', {job_id: 'sleeping', status: 'RUNNING', role: 'worker', pid: startProcess('sleep', ['1000']).pid});
		const dashboard = startTmux({command: [process.execPath, cliPath, jobsDir, '--no-auto', '--interval', '250ms'], columns: 150, rows: 30, home});
		const rowOf = (screen: string[], id: string) => screen.find(row => row.slice(3).startsWith(`${id} `));
		const screen = await dashboard.waitFor('WHY for both jobs', rows => /\sinput\s*$/.test(rowOf(rows, 'asking') ?? '') && /\ssleeping\s*$/.test(rowOf(rows, 'sleeping') ?? ''), {timeoutMs: 20_000});
		expect(screen.find(row => /^ {3}ID /.test(row))).toMatch(/UPTIME +WHY\s*$/);

		// The detail view of the asking job (selected first: it sorts by severity, then silence, then id).
		dashboard.press('g');
		dashboard.press('Enter');
		const detail = await dashboard.waitFor('the detail view', rows => rows.some(row => row.startsWith('Why: ')));
		const why = detail.find(row => row.startsWith('Why: '))!;
		expect(why).toMatch(new RegExp(`^Why: waiting-for-input: pid ${asking.panePid} \\(bash --norc --noprofile -c read -r -p "Continue\\? .*…\\) reads its standard input, the terminal ${terminal}; `));
		// Nobody answered: the question is still open.
		expect(asking.capture().some(row => row.startsWith('got'))).toBe(false);
	});
});
