import type {JobView} from '../../sentinel/snapshot.js';
import {compareText} from '../../text/compare-text.js';
import type {SeverityLabel} from '../theme.js';

/** The orders `s` cycles through, first is the default. */
export const sortOrders = ['severity', 'silence', 'id', 'cpu', 'mem'] as const;
/** One order of the table. */
export type SortOrder = (typeof sortOrders)[number];

/** What narrows and orders the job table. */
export type TableQuery = {
	sort: SortOrder;
	/** Case-insensitive substring of the job id, status or description; empty shows all. */
	filter: string;
	/** Only jobs above ok, and invalid jobs. */
	faultsOnly: boolean;
};

// Invalid jobs need a human as much as a medium one does (`status` exits 1 for both).
const rank: Record<SeverityLabel, number> = {critical: 6, high: 5, medium: 4, invalid: 3.5, low: 3, ok: 1};

/** What the SEV column shows for a job. */
export function severityLabel(view: JobView): SeverityLabel {
	return view.job.valid ? view.severity : 'invalid';
}

/** Time since the job's last activity (ms), or null when unknown (invalid jobs). */
export function silenceOf(view: JobView, now: number): number | null {
	if (view.assessment) return view.assessment.silenceMs;
	return view.lastActivityMs === null ? null : Math.max(0, now - view.lastActivityMs);
}

/** True for a job worth an operator's look: above ok, or invalid. */
export function isFault(view: JobView): boolean {
	return severityLabel(view) !== 'ok';
}

function matchesFilter(view: JobView, needle: string): boolean {
	const {job} = view;
	const haystack = job.valid ? [job.jobId, job.status, job.description] : [job.jobId, 'invalid', job.error];
	return haystack.some(text => text.toLowerCase().includes(needle));
}

type Compare = (a: JobView, b: JobView) => number;

// Id then directory last, so equal jobs never swap places between frames.
const byIdThenDir: Compare = (a, b) => compareText(a.job.jobId, b.job.jobId) || compareText(a.job.dir, b.job.dir);

/** What a job is ordered by, highest first: the order's own measure, then the next one. */
type SortKeys = (view: JobView, now: number) => [number, number];

const rankOf = (view: JobView): number => rank[severityLabel(view)];
const sortKeys: Record<SortOrder, SortKeys> = {
	severity: (view, now) => [rankOf(view), silenceOf(view, now) ?? -1],
	silence: (view, now) => [silenceOf(view, now) ?? -1, rankOf(view)],
	id: () => [0, 0],
	cpu: view => [view.sample?.cpuPercent ?? -1, rankOf(view)],
	mem: view => [view.sample?.rssBytes ?? -1, rankOf(view)],
};

/**
 * The jobs the table shows, in the order it shows them. Each job's keys are worked out once,
 * not in every comparison: with 1,000 jobs that is most of the cost of a frame's sort.
 */
export function visibleJobs(jobs: readonly JobView[], query: TableQuery, now: number): JobView[] {
	const needle = query.filter.trim().toLowerCase();
	const keysOf = sortKeys[query.sort];
	const kept = [];
	for (const view of jobs) {
		if ((query.faultsOnly && !isFault(view)) || (needle !== '' && !matchesFilter(view, needle))) continue;
		const [first, second] = keysOf(view, now);
		kept.push({view, first, second});
	}
	kept.sort((a, b) => b.first - a.first || b.second - a.second || byIdThenDir(a.view, b.view));
	return kept.map(entry => entry.view);
}

/** The order after `order` in the cycle of `s`. */
export function nextSortOrder(order: SortOrder): SortOrder {
	return sortOrders[(sortOrders.indexOf(order) + 1) % sortOrders.length] ?? 'severity';
}
