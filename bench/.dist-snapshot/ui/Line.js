import { jsx as _jsx } from "react/jsx-runtime";
import { Text } from 'ink';
import { sanitize } from '../text/sanitize.js';
import { withoutColor } from './theme.js';
import { takeColumns, widthOf } from './text.js';
/**
 * Cut styled segments to `width` columns, marking a cut with `ellipsis`.
 * Every segment is sanitized first: whatever a job wrote reaches the terminal as plain text.
 */
export function fitSegments(segments, width, ellipsis) {
    const clean = segments.map(segment => ({ ...segment, text: sanitize(segment.text) }));
    const total = clean.reduce((sum, segment) => sum + widthOf(segment.text), 0);
    if (total <= width)
        return clean;
    let budget = Math.max(0, width - widthOf(ellipsis));
    const kept = [];
    for (const segment of clean) {
        const text = takeColumns(segment.text, budget);
        if (text !== '')
            kept.push({ ...segment, text });
        budget -= widthOf(text);
        if (text !== segment.text)
            break;
    }
    const last = kept.at(-1) ?? { text: '' };
    kept.push({ ...last, text: takeColumns(ellipsis, width) });
    return kept;
}
/** One terminal line of styled text that never wraps and never overflows its width. */
export function Line({ segments, width, ellipsis, color, inverse = false }) {
    const fitted = fitSegments(segments, width, ellipsis);
    if (fitted.every(segment => segment.text === ''))
        return _jsx(Text, { children: " " });
    return (_jsx(Text, { wrap: "truncate-end", inverse: inverse, children: fitted.map((segment, index) => {
            const style = withoutColor(segment, color);
            return (_jsx(Text, { color: style.color, bold: style.bold, inverse: style.inverse, dimColor: style.dim, children: segment.text }, index));
        }) }));
}
