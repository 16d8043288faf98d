import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Box } from 'ink';
import { Line } from '../Line.js';
import { layoutColumns } from './columns.js';
import { headerSegments, rowSegments } from './row.js';
/** The job table: a title line and one line per visible job, never more rows than fit. */
export function JobTable({ jobs, selection, width, height, now, sort, emptyMessage, glyphs, color }) {
    const widths = layoutColumns(width);
    const visible = jobs.slice(selection.firstVisible, selection.lastVisible + 1);
    return (_jsxs(Box, { flexDirection: "column", children: [_jsx(Line, { segments: headerSegments(widths, sort, glyphs), width: width, ellipsis: glyphs.ellipsis, color: color }), jobs.length === 0 && height > 0 ? (_jsx(Line, { segments: [{ text: `  ${emptyMessage}`, dim: true }], width: width, ellipsis: glyphs.ellipsis, color: color })) : null, visible.map((view, offset) => {
                const selected = selection.firstVisible + offset === selection.index;
                return (_jsx(Line, { segments: rowSegments(view, { widths, now, glyphs, color, selected }), width: width, ellipsis: glyphs.ellipsis, color: color, inverse: selected }, view.job.dir));
            })] }));
}
