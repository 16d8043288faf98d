import { jsx as _jsx } from "react/jsx-runtime";
import { Box } from 'ink';
import { severities } from '../../types.js';
import { formatClock } from '../format.js';
import { severityLabel } from '../job-table/order.js';
import { Line } from '../Line.js';
import { severityStyle } from '../theme.js';
/** Who acts on this jobs directory, in a few words. */
export function actorText(snapshot) {
    const { acting, leader } = snapshot.actor;
    if (acting)
        return 'actor';
    if (leader)
        return `observer, pid ${leader.pid}@${leader.host} acts`;
    return 'observer, no sentinel acts';
}
/** Line one: clock, automatic action, actor, the hourly limit, dry-run, the jobs dir (last: it is cut first). */
export function statusLine(snapshot, glyphs) {
    const sep = { text: glyphs.separator, dim: true };
    const segments = [
        { text: 'sentinel-tui ', bold: true },
        { text: formatClock(snapshot.generatedAt) },
        sep,
        { text: `auto ${snapshot.auto ? 'on' : 'off'}`, color: snapshot.auto ? 'green' : 'yellow' },
        sep,
        { text: actorText(snapshot) },
        sep,
        { text: `${snapshot.interventionsLastHour}/${snapshot.maxInterventions} interventions/h`, color: snapshot.interventionsLastHour >= snapshot.maxInterventions ? 'red' : undefined },
    ];
    if (snapshot.dryRun)
        segments.push(sep, { text: 'DRY-RUN', bold: true, color: 'magenta' });
    if (snapshot.watchMode === 'poll')
        segments.push(sep, { text: 'polling', color: 'yellow' });
    segments.push(sep, { text: snapshot.jobsDir });
    return segments;
}
/** Line two: job counts by severity (always all of them, so the line does not jump), then by status. */
export function countsLine(snapshot, glyphs, color) {
    const bySeverity = new Map();
    const byStatus = new Map();
    for (const view of snapshot.jobs) {
        const label = severityLabel(view);
        bySeverity.set(label, (bySeverity.get(label) ?? 0) + 1);
        const status = view.job.valid ? view.job.status.toUpperCase() : 'INVALID';
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    const segments = [{ text: `${snapshot.jobs.length} jobs: ` }];
    const labels = [...[...severities].reverse(), 'invalid'];
    for (const label of labels) {
        const count = bySeverity.get(label) ?? 0;
        segments.push(count > 0 ? { text: label, ...severityStyle(label, color) } : { text: label, dim: true }, { text: ` ${count}  ` });
    }
    const statuses = [...byStatus].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (statuses.length > 0)
        segments.push({ text: glyphs.separator.trimStart(), dim: true });
    segments.push({ text: statuses.map(([status, count]) => `${status} ${count}`).join('  ') });
    return segments;
}
/** The two header lines. */
export function Header({ snapshot, width, height, glyphs, color }) {
    const lines = [statusLine(snapshot, glyphs), countsLine(snapshot, glyphs, color)].slice(0, Math.max(0, height));
    return (_jsx(Box, { flexDirection: "column", children: lines.map((segments, index) => (_jsx(Line, { segments: segments, width: width, ellipsis: glyphs.ellipsis, color: color }, index))) }));
}
