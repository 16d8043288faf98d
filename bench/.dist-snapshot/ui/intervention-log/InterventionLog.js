import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Box } from 'ink';
import { formatClock } from '../format.js';
import { Line } from '../Line.js';
import { severityStyle } from '../theme.js';
const resultStyles = {
    started: { dim: true },
    ok: { color: 'green' },
    failed: { color: 'red', bold: true },
    skipped: { color: 'yellow' },
    'dry-run': { color: 'cyan' },
};
/**
 * The entries worth a line, newest first: a `started` entry is dropped once its result follows
 * (same action_id), so an action takes one line.
 */
export function logEntries(recentAudit, limit) {
    const finished = new Set(recentAudit.filter(entry => entry.result !== 'started').map(entry => entry.action_id));
    const shown = recentAudit.filter(entry => entry.result !== 'started' || !finished.has(entry.action_id));
    return shown.reverse().slice(0, Math.max(0, limit));
}
/** The clock time of an audit entry, or its raw stamp when that does not parse. */
export function entryTime(entry) {
    const at = Date.parse(entry.ts);
    return Number.isNaN(at) ? entry.ts : formatClock(at);
}
/** One audit entry as one line: time, action, job, result, who and why. */
export function entrySegments(entry, color) {
    return [
        { text: `${entryTime(entry)} `, dim: true },
        { text: `${entry.action} `, bold: true },
        { text: `${entry.job_id} ` },
        { text: entry.result, ...resultStyles[entry.result] },
        { text: ` ${entry.actor} ` },
        { text: entry.severity, ...severityStyle(entry.severity, color) },
        { text: entry.reason ? ` ${entry.reason}` : '' },
    ];
}
/** The newest interventions under the table, from the audit log, so they survive restarts. */
export function InterventionLog({ entries, height, width, glyphs, color }) {
    if (height <= 0)
        return null;
    const shown = logEntries(entries, height - 1);
    return (_jsxs(Box, { flexDirection: "column", children: [_jsx(Line, { segments: [{ text: 'Interventions (newest first)', bold: true }], width: width, ellipsis: glyphs.ellipsis, color: color }), shown.map((entry, index) => (_jsx(Line, { segments: entrySegments(entry, color), width: width, ellipsis: glyphs.ellipsis, color: color }, index)))] }));
}
