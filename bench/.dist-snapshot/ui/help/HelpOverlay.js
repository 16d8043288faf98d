import { jsx as _jsx } from "react/jsx-runtime";
import { Box } from 'ink';
import { keymap, keysLabel } from '../keymap.js';
import { Line } from '../Line.js';
import { fitTo } from '../text.js';
const keysWidth = 10;
/** The help overlay's lines: one per keymap entry, keys then description. */
export function helpLines(glyphs) {
    return keymap.map(entry => [{ text: fitTo(keysLabel(entry), keysWidth, glyphs.ellipsis), bold: true }, { text: ` ${entry.description}` }]);
}
/** Rows the overlay takes for the whole keymap, borders included: it fits 80x24 with header and footer. */
export const helpHeight = keymap.length + 2;
/** Every binding of the keymap, drawn from the same table the keys are handled by. */
export function HelpOverlay({ width, height, glyphs, color }) {
    const inner = Math.max(0, width - 4);
    const lines = helpLines(glyphs).slice(0, Math.max(0, height - 2));
    return (_jsx(Box, { flexDirection: "column", borderStyle: glyphs.border, borderColor: color ? 'cyan' : undefined, paddingX: 1, width: "100%", children: lines.map((segments, index) => (_jsx(Line, { segments: segments, width: inner, ellipsis: glyphs.ellipsis, color: color }, index))) }));
}
