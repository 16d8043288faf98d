import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Box } from 'ink';
import { Line } from '../Line.js';
/** The detail view of one job, scrolled to `scroll`, with a marker when more lies below. */
export function JobDetail({ lines, scroll, height, width, glyphs, color }) {
    if (height <= 0)
        return null;
    const more = lines.length - scroll > height;
    const shown = lines.slice(scroll, scroll + (more ? height - 1 : height));
    return (_jsxs(Box, { flexDirection: "column", children: [shown.map((segments, index) => (_jsx(Line, { segments: segments, width: width, ellipsis: glyphs.ellipsis, color: color }, scroll + index))), more ? _jsx(Line, { segments: [{ text: `  (${lines.length - scroll - shown.length} more lines: Down/j, PgDn)`, dim: true }], width: width, ellipsis: glyphs.ellipsis, color: color }) : null] }));
}
/** The largest useful scroll for `count` lines in `height` rows (the "more" line takes one). */
export function maxDetailScroll(count, height) {
    return Math.max(0, count - Math.max(1, height));
}
