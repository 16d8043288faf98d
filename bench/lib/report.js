// Tables every benchmark prints: our figure beside the peer (or limit) measured in the same run,
// the ratio, the budget and whether it was met. Also written as Markdown for the readme.
import fs from 'node:fs';
import os from 'node:os';
import {max, median, min} from './stats.js';

/**
 * One line of a table.
 * @typedef {object} Row
 * @property {string} measure what was measured
 * @property {string} ours our figure, formatted
 * @property {string} peer the peer's figure or the limit, formatted ('' when none)
 * @property {string} ratio ours / peer, formatted ('' when none)
 * @property {string} budget the budget in words
 * @property {boolean | 'noise' | null} pass null for a row that only informs; 'noise' for a budget
 *   that some runs (or windows) met and some missed: neither a pass nor a miss
 */

/**
 * A benchmark's result.
 * @typedef {object} Table
 * @property {string} title
 * @property {Row[]} rows
 * @property {string[]} notes conditions of the run, and anything seen worth a line
 */

const headers = ['measure', 'ours', 'peer / limit', 'ratio', 'budget', 'result'];

function verdict(pass) {
	if (pass === null || pass === undefined) return 'info';
	if (pass === 'noise') return 'within noise';
	return pass ? 'pass' : 'FAIL';
}

function cells(row) {
	return [row.measure, row.ours, row.peer ?? '', row.ratio ?? '', row.budget ?? '', verdict(row.pass)];
}

/** The table as aligned plain text, for the terminal. */
export function formatText(table) {
	const lines = [headers, ...table.rows.map(cells)];
	const widths = headers.map((_, column) => Math.max(...lines.map(line => String(line[column]).length)));
	const render = line => line.map((cell, column) => String(cell).padEnd(widths[column])).join('  ').trimEnd();
	const rule = widths.map(width => '-'.repeat(width)).join('  ');
	const out = [`== ${table.title}`, render(headers), rule, ...table.rows.map(row => render(cells(row)))];
	for (const note of table.notes ?? []) out.push(`   * ${note}`);
	return out.join('\n');
}

function escapeCell(text) {
	return String(text).replaceAll('|', '\\|');
}

/** The table as Markdown, for bench/results.md. */
export function formatMarkdown(table) {
	const out = [`### ${table.title}`, '', `| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
	for (const row of table.rows) out.push(`| ${cells(row).map(escapeCell).join(' | ')} |`);
	if (table.notes?.length) {
		out.push('');
		for (const note of table.notes) out.push(`- ${note}`);
	}
	return out.join('\n');
}

/** False when any row missed its budget (one within the noise is not counted a miss). */
export function allPassed(table) {
	return table.rows.every(row => row.pass !== false);
}

/** How many budget rows passed, fell within the noise, and failed. */
export function countVerdicts(table) {
	const budgets = table.rows.filter(row => row.pass !== null && row.pass !== undefined);
	return {pass: budgets.filter(row => row.pass === true).length, noise: budgets.filter(row => row.pass === 'noise').length, fail: budgets.filter(row => row.pass === false).length};
}

/** Several runs' figures as "median X (min Y, max Z; N runs)". */
export function spreadText(values, format, what = 'runs') {
	return `median ${format(median(values))} (min ${format(min(values))}, max ${format(max(values))}; ${values.length} ${what})`;
}

/** Write the table as JSON where run-all asked for it. */
export function saveTable(table, file) {
	if (file) fs.writeFileSync(file, JSON.stringify(table, null, 2));
}

/** `a / b` as "0.42x", or '' when it means nothing. */
export function ratio(ours, peer) {
	if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return '';
	return `${(ours / peer).toFixed(2)}x`;
}

export const fmt = {
	ms: value => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 0)} ms` : 'n/a'),
	s: value => (Number.isFinite(value) ? `${value.toFixed(2)} s` : 'n/a'),
	mb: bytes => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MB` : 'n/a'),
	count: value => String(value),
};

/** The machine's load when the table was made: figures from a busy machine read accordingly. */
export function loadNote() {
	const [one, five] = os.loadavg();
	return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${os.cpus().length} cores at the end of the run`;
}
