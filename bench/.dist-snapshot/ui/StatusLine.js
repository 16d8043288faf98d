import { jsx as _jsx } from "react/jsx-runtime";
import { Line } from './Line.js';
/** The line above the footer: the filter being typed, else a message, else the view and the newest notice. */
export function statusSegments({ message, editingFilter, helpOpen, query, shown, total, notice, glyphs }) {
    if (helpOpen)
        return [{ text: 'Keys above. Any key closes this help; q quits.', bold: true }];
    if (editingFilter)
        return [{ text: '/', bold: true }, { text: query.filter }, { text: '_', dim: true }, { text: '  Enter keeps, Esc clears', dim: true }];
    if (message)
        return [{ text: message, bold: true }];
    const parts = [`sort: ${query.sort}`];
    if (query.filter)
        parts.push(`filter: ${query.filter}`);
    if (query.faultsOnly)
        parts.push('faults only');
    if (shown !== total)
        parts.push(`${shown} of ${total} jobs shown`);
    const segments = [{ text: parts.join(glyphs.separator), dim: true }];
    if (notice)
        segments.push({ text: glyphs.separator, dim: true }, { text: notice, color: 'yellow' });
    return segments;
}
/** One line of state: what the table shows, the latest result, or the filter being typed. */
export function StatusLine(props) {
    return _jsx(Line, { segments: statusSegments(props), width: props.width, ellipsis: props.glyphs.ellipsis, color: props.color });
}
