import {sparkLength} from '../../sentinel/job-state.js';

/** The table's columns, in order. */
export const columnNames = ['id', 'role', 'status', 'pid', 'sev', 'silent', 'cpu', 'mem', 'uptime'] as const;
/** One column of the job table. */
export type ColumnName = (typeof columnNames)[number];

/** Column widths for one terminal width; `spark` is the width of each sparkline inside CPU and MEM. */
export type ColumnWidths = Record<ColumnName, number> & {marker: number; spark: number; gap: number};

/** The title line's words. */
export const columnTitles: Record<ColumnName, string> = {
	id: 'ID',
	role: 'ROLE',
	status: 'STATUS',
	pid: 'PID',
	sev: 'SEV',
	silent: 'SILENT',
	cpu: 'CPU',
	mem: 'MEM',
	uptime: 'UPTIME',
};

// Widths of the values themselves: `critical`, `4194304`, `59m59s`, `999%`, `1023.9MB`.
const fixed = {marker: 3, role: 6, pid: 7, sev: 8, silent: 7, cpuValue: 4, memValue: 8, uptime: 6};
const minimum = {id: 10, status: 7};
const maxStatus = 21; // INTERVENTION_REQUIRED

/**
 * Share `width` columns among the table's columns: fixed ones first, then ID and STATUS at their
 * minimum, then the two sparklines (up to 6, 12 on wide screens), then the rest to ID and STATUS.
 * The sum, gaps included, never exceeds `width`.
 */
export function layoutColumns(width: number): ColumnWidths {
	const gap = 1;
	// `supervisor` whole where there is room; at 80 columns the sparklines need those four.
	const role = width >= 100 ? 10 : fixed.role;
	const gaps = gap * (columnNames.length - 1);
	const base = fixed.marker + role + fixed.pid + fixed.sev + fixed.silent + fixed.cpuValue + fixed.memValue + fixed.uptime + gaps;
	const spare = Math.max(0, width - base - minimum.id - minimum.status);
	const spark = Math.min(Math.floor(spare / 2), 6 + Math.floor(Math.max(0, spare - 60) / 4), sparkLength);
	const flexible = Math.max(0, width - base - 2 * spark);
	const status = Math.min(maxStatus, Math.max(Math.min(minimum.status, flexible), Math.floor(flexible / 3)));
	const id = Math.max(0, flexible - status);
	return {
		marker: fixed.marker,
		gap,
		spark,
		id,
		role,
		status,
		pid: fixed.pid,
		sev: fixed.sev,
		silent: fixed.silent,
		// The sparkline follows the right-aligned value directly.
		cpu: fixed.cpuValue + spark,
		mem: fixed.memValue + spark,
		uptime: fixed.uptime,
	};
}

/** Total columns a row takes with these widths. */
export function rowWidth(widths: ColumnWidths): number {
	return widths.marker + columnNames.reduce((sum, name) => sum + widths[name], 0) + widths.gap * (columnNames.length - 1);
}
