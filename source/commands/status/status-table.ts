import {formatSize} from '../../config/units.js';
import {formatCompactDuration} from '../../text/format.js';
import {diagnosisLine} from '../../sentinel/judge/diagnosis-signal.js';
import {sanitize} from '../../text/sanitize.js';
import type {Diagnosis, Signal} from '../../types.js';
import {truncate, truncateMiddle, widthOf} from '../../ui/text.js';
import type {statusDocument} from './status-report.js';

/** One table row: column title -> cell text. */
export type TableRow = Record<string, string>;

/**
 * Widest a cell gets when stdout is not a terminal (a pipe, a file, a cron mail): wide enough for
 * any sane id, and one runaway value cannot make every row of the table as wide as itself.
 */
export const pipedCellCap = 40;
/** The reason is the one free-text column: a pipe gets more of it. */
export const pipedReasonCap = 100;
const ellipsis = '…';

/**
 * Why a job is where it is: what its processes are doing (unless it is active), then every signal
 * above ok but the diagnosis, which said its part first.
 */
function why(diagnosis: Diagnosis | null, evidence: readonly Signal[]): string {
	const doing = diagnosis && diagnosis.kind !== 'ok' ? [diagnosisLine(diagnosis)] : [];
	const signals = evidence.filter(signal => signal.severity !== 'ok' && signal.name !== 'diagnosis').map(signal => signal.message);
	return [...doing, ...signals].join('; ');
}

/** Every job of the document as table cells, each sanitized and whole. */
export function tableRows(document: ReturnType<typeof statusDocument>): TableRow[] {
	return document.jobs.map(job => ({
		JOB: sanitize(job.job_id),
		ROLE: sanitize(job.role ?? ''),
		STATUS: job.valid ? sanitize(job.status ?? '') : 'INVALID',
		PID: job.pid === null ? '' : String(job.pid),
		SEVERITY: job.severity ?? 'invalid',
		SILENT: job.silence_s === null ? '' : formatCompactDuration(job.silence_s * 1000),
		'CPU%': job.cpu_percent === null ? '' : String(job.cpu_percent),
		MEM: job.rss_bytes === null ? '' : formatSize(job.rss_bytes),
		WHY: sanitize(job.error ?? why(job.diagnosis, job.evidence)),
	}));
}

/** Columns a bordered table of these column widths takes: `│ a │ b │`. */
export function tableWidth(widths: readonly number[]): number {
	return widths.reduce((sum, width) => sum + width, 0) + 3 * widths.length + 1;
}

// The largest level L such that the columns, each cut to at most L (never below its title),
// fit in `budget`: the widest columns give way first, evenly.
function levelFor(natural: readonly number[], minimum: readonly number[], budget: number): number {
	const total = (level: number) => natural.reduce((sum, width, index) => sum + Math.min(width, Math.max(level, minimum[index]!)), 0);
	let low = 0;
	let high = Math.max(0, ...natural);
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		if (total(middle) <= budget) low = middle;
		else high = middle - 1;
	}
	return low;
}

/**
 * The column widths of `rows`: on a terminal of `columns` the table fits it (the widest columns
 * cut first, the id last), else each column is capped. Titles are never cut.
 */
export function columnWidths(rows: readonly TableRow[], titles: readonly string[], columns: number | null): number[] {
	const minimum = titles.map(title => widthOf(title));
	const natural = titles.map((title, index) => Math.max(minimum[index]!, ...rows.map(row => widthOf(row[title] ?? ''))));
	if (columns === null) return natural.map((width, index) => Math.max(minimum[index]!, Math.min(width, titles[index] === 'WHY' ? pipedReasonCap : pipedCellCap)));
	const budget = columns - tableWidth(titles.map(() => 0));
	const job = titles.indexOf('JOB');
	// As on the dashboard, the id gives way last: it keeps its first 24 columns (or 16, or 10)
	// if the others still fit when cut to their titles.
	for (const reserve of [24, 16, 10, 0]) {
		const floors = minimum.map((width, index) => (index === job ? Math.max(width, Math.min(natural[index]!, reserve)) : width));
		if (reserve > 0 && floors.reduce((sum, width) => sum + width, 0) > budget) continue;
		const level = levelFor(natural, floors, budget);
		return natural.map((width, index) => Math.min(width, Math.max(level, floors[index]!)));
	}
	return natural;
}

/** `rows` with every cell cut to its column's width, an ellipsis marking each cut. */
export function fitRows(rows: readonly TableRow[], columns: number | null): {rows: TableRow[]; width: number} {
	const titles = Object.keys(rows[0] ?? {});
	const widths = columnWidths(rows, titles, columns);
	// An id is cut in its middle, as on the dashboard: generated ids differ at their ends.
	const cut = (title: string) => (title === 'JOB' ? truncateMiddle : truncate);
	const fitted = rows.map(row => Object.fromEntries(titles.map((title, index) => [title, cut(title)(row[title] ?? '', widths[index]!, ellipsis)])));
	return {rows: fitted, width: tableWidth(widths)};
}
