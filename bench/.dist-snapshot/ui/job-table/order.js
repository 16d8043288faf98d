/** The orders `s` cycles through, first is the default. */
export const sortOrders = ['severity', 'silence', 'id', 'cpu', 'mem'];
// Invalid jobs need a human as much as a medium one does (`status` exits 1 for both).
const rank = { critical: 6, high: 5, medium: 4, invalid: 3.5, low: 3, ok: 1 };
/** What the SEV column shows for a job. */
export function severityLabel(view) {
    return view.job.valid ? view.severity : 'invalid';
}
/** Time since the job's last activity (ms), or null when unknown (invalid jobs). */
export function silenceOf(view, now) {
    if (view.assessment)
        return view.assessment.silenceMs;
    return view.lastActivityMs === null ? null : Math.max(0, now - view.lastActivityMs);
}
/** True for a job worth an operator's look: above ok, or invalid. */
export function isFault(view) {
    return severityLabel(view) !== 'ok';
}
function matchesFilter(view, needle) {
    const { job } = view;
    const haystack = job.valid ? [job.jobId, job.status, job.description] : [job.jobId, 'invalid', job.error];
    return haystack.some(text => text.toLowerCase().includes(needle));
}
function comparators(now) {
    const bySeverity = (a, b) => rank[severityLabel(b)] - rank[severityLabel(a)];
    const bySilence = (a, b) => (silenceOf(b, now) ?? -1) - (silenceOf(a, now) ?? -1);
    const byCpu = (a, b) => (b.sample?.cpuPercent ?? -1) - (a.sample?.cpuPercent ?? -1);
    const byMemory = (a, b) => (b.sample?.rssBytes ?? -1) - (a.sample?.rssBytes ?? -1);
    return { severity: [bySeverity, bySilence], silence: [bySilence, bySeverity], id: [], cpu: [byCpu, bySeverity], mem: [byMemory, bySeverity] };
}
// Id then directory last, so equal jobs never swap places between frames.
const byIdThenDir = (a, b) => a.job.jobId.localeCompare(b.job.jobId) || a.job.dir.localeCompare(b.job.dir);
/** The jobs the table shows, in the order it shows them. */
export function visibleJobs(jobs, query, now) {
    const needle = query.filter.trim().toLowerCase();
    const kept = jobs.filter(view => (!query.faultsOnly || isFault(view)) && (needle === '' || matchesFilter(view, needle)));
    const order = [...comparators(now)[query.sort], byIdThenDir];
    return kept.sort((a, b) => {
        for (const compare of order) {
            const result = compare(a, b);
            if (result !== 0)
                return result;
        }
        return 0;
    });
}
/** The order after `order` in the cycle of `s`. */
export function nextSortOrder(order) {
    return sortOrders[(sortOrders.indexOf(order) + 1) % sortOrders.length] ?? 'severity';
}
