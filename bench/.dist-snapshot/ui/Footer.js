import { jsx as _jsx } from "react/jsx-runtime";
import { footerHints } from './keymap.js';
import { Line } from './Line.js';
/** The footer's segments: each hint's keys in bold, then its word. */
export function footerSegments() {
    return footerHints().flatMap(({ keys, hint }, index) => [{ text: `${index > 0 ? '  ' : ''}${keys.join('/')}`, bold: true }, { text: ` ${hint}` }]);
}
/** The key hints line, from the keymap. */
export function Footer({ width, glyphs, color }) {
    return _jsx(Line, { segments: footerSegments(), width: width, ellipsis: glyphs.ellipsis, color: color });
}
