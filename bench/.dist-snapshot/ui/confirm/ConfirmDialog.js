import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Box } from 'ink';
import { Line } from '../Line.js';
/** Rows the dialog takes, borders included. */
export const confirmDialogHeight = 6;
/** Asks before a manual recover or terminate; the answer is No unless `y` is pressed. */
export function ConfirmDialog({ confirmation, width, glyphs, color }) {
    const { action, target, command, outcome } = confirmation;
    const inner = Math.max(0, width - 4);
    const verb = action === 'terminate' ? 'Terminate' : 'Recover';
    const line = (text, bold = false) => _jsx(Line, { segments: [{ text, bold }], width: inner, ellipsis: glyphs.ellipsis, color: color });
    return (_jsxs(Box, { flexDirection: "column", borderStyle: glyphs.border, borderColor: color ? 'yellow' : undefined, paddingX: 1, width: "100%", children: [line(`${verb} job ${target.jobId}?`, true), line(`pid ${target.pid ?? '-'}${glyphs.separator}${command}`), line(outcome), line('y: yes    n, Esc, Enter: no (the default)')] }));
}
