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
	/** Case-insensitive substring of the job id, status, description or (in the fleet view) host; empty shows all. */
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
	if (view.host !== undefined) haystack.push(view.host);
	return haystack.some(text => text.toLowerCase().includes(needle));
}

type Compare = (a: JobView, b: JobView) => number;

// Id, then host (the fleet view), then directory last, so equal jobs never swap places between frames.
const byIdThenDir: Compare = (a, b) => compareText(a.job.jobId, b.job.jobId) || compareText(a.host ?? '', b.host ?? '') || compareText(a.job.dir, b.job.dir);

/** One measure a job is ordered by, highest first. */
type SortKey = (view: JobView, now: number) => number;

const rankOf: SortKey = view => rank[severityLabel(view)];
const silenceKey: SortKey = (view, now) => silenceOf(view, now) ?? -1;
const none: SortKey = () => 0;
/** Each order's own measure, then the next one. */
const sortKeys: Record<SortOrder, readonly [SortKey, SortKey]> = {
	severity: [rankOf, silenceKey],
	silence: [silenceKey, rankOf],
	id: [none, none],
	cpu: [view => view.sample?.cpuPercent ?? -1, rankOf],
	mem: [view => view.sample?.rssBytes ?? -1, rankOf],
};

/**
 * The jobs the table shows, in the order it shows them. Each job's keys are worked out once,
 * not in every comparison: with 1,000 jobs that is most of the cost of a frame's sort.
 */
export function visibleJobs(jobs: readonly JobView[], query: TableQuery, now: number): JobView[] {
	const needle = query.filter.trim().toLowerCase();
	const [firstKey, secondKey] = sortKeys[query.sort];
	const kept = [];
	for (const view of jobs) {
		if ((query.faultsOnly && !isFault(view)) || (needle !== '' && !matchesFilter(view, needle))) continue;
		kept.push({view, first: firstKey(view, now), second: secondKey(view, now)});
	}
	kept.sort((a, b) => b.first - a.first || b.second - a.second || byIdThenDir(a.view, b.view));
	return kept.map(entry => entry.view);
}

/** The order after `order` in the cycle of `s`. */
export function nextSortOrder(order: SortOrder): SortOrder {
	return sortOrders[(sortOrders.indexOf(order) + 1) % sortOrders.length] ?? 'severity';
}
