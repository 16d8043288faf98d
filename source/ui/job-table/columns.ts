import {sparkLength} from '../../sentinel/job-state.js';

/** The table's columns, in order. */
export const columnNames = ['host', 'id', 'role', 'status', 'pid', 'sev', 'silent', 'cpu', 'mem', 'uptime', 'why'] as const;
/** One column of the job table. */
export type ColumnName = (typeof columnNames)[number];

/**
 * Column widths for one terminal width; 0 hides a column (and its gap). `spark` is the width of
 * each sparkline inside CPU and MEM.
 */
export type ColumnWidths = Record<ColumnName, number> & {marker: number; spark: number; gap: number};

/** The title line's words. */
export const columnTitles: Record<ColumnName, string> = {
	host: 'HOST',
	id: 'ID',
	role: 'ROLE',
	status: 'STATUS',
	pid: 'PID',
	sev: 'SEV',
	silent: 'SILENT',
	cpu: 'CPU',
	mem: 'MEM',
	uptime: 'UPTIME',
	why: 'WHY',
};

// Widths of the values themselves: `critical`, `4194304`, `59m59s`, `999%`, `1023.9MB`, `sleeping`.
const fixed = {marker: 3, role: 6, pid: 7, sev: 8, silent: 7, cpu: 4, mem: 8, uptime: 6, status: 7, why: 8};
const wideRole = 10; // `supervisor`
const maxStatus = 21; // INTERVENTION_REQUIRED
const gap = 1;
// A sparkline narrower than this says nothing.
const minSpark = 3;

/** What the rows hold, so the widths can follow it: the widest id, status and host, in columns (host above 0: the fleet view). */
export type ColumnWants = {id: number; status: number; host?: number};

// In the fleet view: which host a job runs on matters as soon as there is room for it.
const maxHost = 16;

// What gets room first as the terminal narrows, read top to bottom: a column is shown only when
// it and every column above it fit; a growth takes what is left, up to its size. The id comes
// first and keeps growing between the columns, so it is the last to give way; SEV is never dropped.
type Step = {show: Exclude<ColumnName, 'id'>} | {grow: 'id' | 'status' | 'spark' | 'role'; to: (wants: ColumnWants) => number; whole?: boolean};
const steps: readonly Step[] = [
	{grow: 'id', to: wants => Math.min(wants.id, 10)},
	{show: 'host'},
	{show: 'silent'},
	{show: 'status'},
	{show: 'cpu'},
	{show: 'mem'},
	{grow: 'id', to: wants => Math.min(wants.id, 16)},
	{show: 'pid'},
	{show: 'uptime'},
	{show: 'role'},
	{grow: 'spark', to: () => minSpark, whole: true},
	{grow: 'id', to: wants => Math.min(wants.id, 24)},
	{grow: 'spark', to: () => 6},
	{grow: 'id', to: wants => Math.min(wants.id, 40)},
	{grow: 'status', to: wants => Math.min(maxStatus, wants.status)},
	{grow: 'role', to: () => wideRole, whole: true},
	// WHY (the diagnosis, SPEC section 12) only where everything above has its room: the first to give way.
	{show: 'why'},
	{grow: 'id', to: wants => wants.id},
	{grow: 'spark', to: () => sparkLength},
];

/**
 * Share `width` columns among the table's columns, following `steps`; what is left at the end
 * widens the id. Without `wants` the ids and statuses are taken to be short. The sum, gaps
 * included, never exceeds `width` (at least the marker, a 2-column id and SEV).
 */
export function layoutColumns(width: number, wants: ColumnWants = {id: 10, status: maxStatus}): ColumnWidths {
	const fleet = (wants.host ?? 0) > 0;
	// The fleet view's marker has room for the stale mark too.
	const widths: ColumnWidths = {marker: fixed.marker + (fleet ? 1 : 0), gap, spark: 0, host: 0, id: 2, role: 0, status: 0, pid: 0, sev: fixed.sev, silent: 0, cpu: 0, mem: 0, uptime: 0, why: 0};
	let free = width - rowWidth(widths);
	let dropping = false;
	for (const step of steps) {
		if ('show' in step) {
			const size = step.show === 'host' ? Math.min(wants.host ?? 0, maxHost) : fixed[step.show];
			// The fleet's jobs have no pid or start time in the metrics: no column that is always `-`.
			if (size === 0 || (fleet && (step.show === 'pid' || step.show === 'uptime'))) continue;
			const needs = size + gap;
			dropping ||= needs > free;
			if (dropping) continue;
			widths[step.show] = size;
			free -= needs;
			continue;
		}

		const {grow} = step;
		// A hidden column does not grow; MEM is shown only with CPU, so it stands for both sparklines.
		if (grow !== 'id' && widths[grow === 'spark' ? 'mem' : grow] === 0) continue;
		// Both sparklines grow together.
		const count = grow === 'spark' ? 2 : 1;
		const current = grow === 'spark' ? widths.spark : widths[grow];
		const wanted = Math.max(0, step.to(wants) - current);
		const given = Math.min(wanted, Math.floor(Math.max(0, free) / count));
		if (given === 0 || (step.whole && given < wanted) || (grow === 'spark' && current + given < minSpark)) continue;
		if (grow === 'spark') {
			widths.spark += given;
			widths.cpu += given;
			widths.mem += given;
		} else {
			widths[grow] += given;
		}
		free -= given * count;
	}

	widths.id += Math.max(0, free);
	return widths;
}

/** The columns shown (width above 0), in order. */
export function shownColumns(widths: ColumnWidths): ColumnName[] {
	return columnNames.filter(name => widths[name] > 0);
}

/** Total columns a row takes with these widths. */
export function rowWidth(widths: ColumnWidths): number {
	const shown = shownColumns(widths);
	return widths.marker + shown.reduce((sum, name) => sum + widths[name], 0) + widths.gap * Math.max(0, shown.length - 1);
}
