import stringWidth from 'string-width';
import {describe, expect, it, test} from 'vitest';
import {fitRows, pipedCellCap, tableWidth, type TableRow} from '../../source/commands/status/status-table.js';
import {runCli} from '../helpers/cli.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const longId = `long-${'x'.repeat(9990)}-end`;

function row(id: string, why = ''): TableRow {
	return {JOB: id, ROLE: 'worker', STATUS: 'RUNNING', PID: '4242', SEVERITY: 'ok', SILENT: '1m00s', 'CPU%': '5', MEM: '100MB', WHY: why};
}

const forty = () => [row(longId, 'y'.repeat(5000)), ...Array.from({length: 39}, (_, index) => row(`job-${index}`))];

describe('the status table\'s cells', () => {
	it('keep short values whole', () => {
		const rows = [row('alpha'), row('beta', 'silent for 45m')];
		expect(fitRows(rows, null).rows).toEqual(rows);
		expect(fitRows(rows, 200).rows).toEqual(rows);
	});

	it('are cut to 40 columns with an ellipsis when stdout is not a terminal, the reason to 100', () => {
		const {rows, width} = fitRows(forty(), null);
		// Cut in the middle, as the dashboard cuts ids: both ends kept.
		expect(rows[0]!['JOB']).toBe(`${longId.slice(0, 20)}…${longId.slice(-19)}`);
		expect(rows[0]!['WHY']).toHaveLength(100);
		expect(rows[1]).toEqual(row('job-0'));
		expect(width).toBe(tableWidth([40, 6, 7, 4, 8, 6, 4, 5, 100]));
	});

	it('fit a terminal\'s width, the widest cut first, titles never', () => {
		for (const columns of [80, 100, 160]) {
			const {rows, width} = fitRows(forty(), columns);
			expect(width, `${columns} columns`).toBeLessThanOrEqual(columns);
			for (const cells of rows) for (const cell of Object.values(cells)) expect(stringWidth(cell)).toBeLessThan(columns);
			// Where there is room, the short columns stay whole while the two long ones give way.
			if (columns >= 100) expect(rows[0]).toMatchObject({STATUS: 'RUNNING', SEVERITY: 'ok', MEM: '100MB'});
			expect(rows[0]!['JOB']).toMatch(/^long-x*…x*-end$/);
		}
		// Too narrow for even the titles (68 columns with the borders): the titles stay, whole.
		expect(fitRows(forty(), 60).width).toBe(68);
		expect(fitRows(forty(), 20).width).toBe(tableWidth(['JOB', 'ROLE', 'STATUS', 'PID', 'SEVERITY', 'SILENT', 'CPU%', 'MEM', 'WHY'].map(title => title.length)));
	});

	it('count wide characters as two columns', () => {
		const {rows} = fitRows([row('ジ'.repeat(30))], null);
		expect(stringWidth(rows[0]!['JOB']!)).toBeLessThanOrEqual(pipedCellCap);
		expect(rows[0]!['JOB']).toMatch(/^ジ+…ジ+$/);
	});
});

describe('sentinel-tui status with a 10,000-character job id among 40 jobs', () => {
	test('prints a table of bounded size, the id cut; --json keeps it whole', async () => {
		const jobsDir = makeTempDir('sentinel-long-id-');
		writeJob(jobsDir, 'long', {job_id: longId, status: 'PENDING'});
		for (let index = 0; index < 39; index++) writeJob(jobsDir, `job-${index}`, {job_id: `job-${index}`, status: 'PENDING'});

		const [table, json] = await Promise.all([runCli(['status', jobsDir]), runCli(['status', '--json', jobsDir])]);
		expect(table.stderr).toBe('');
		expect(table.code).toBe(0);
		// 1.3 MB of box drawing before: now a row is at most a few hundred columns.
		expect(Buffer.byteLength(table.stdout)).toBeLessThan(64 * 1024);
		const lines = table.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(3 + 2 * 40);
		const widths = new Set(lines.map(line => stringWidth(line)));
		expect(widths.size, 'every line of the table is as wide as the others').toBe(1);
		expect([...widths][0]).toBeLessThanOrEqual(200);
		const longRow = lines.find(line => line.startsWith('│ long-'));
		expect(longRow).toContain(`│ ${longId.slice(0, 20)}…${longId.slice(-19)} │`);
		for (let index = 0; index < 39; index++) expect(lines.some(line => line.startsWith(`│ job-${index} `))).toBe(true);

		expect(json.code).toBe(0);
		const document = JSON.parse(json.stdout) as {jobs: Array<{job_id: string}>};
		expect(document.jobs).toHaveLength(40);
		expect(document.jobs.map(job => job.job_id)).toContain(longId);
	});
});
