import stripAnsi from 'strip-ansi';
// C0 and C1 controls and DEL; tabs and newlines become spaces so one job stays on one line.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/g;
/** A string from a job file, made safe for a terminal: escape sequences and control characters removed. */
export function sanitize(value) {
    return stripAnsi(value).replaceAll(/[\t\n\r]/g, ' ').replaceAll(controlCharacters, '');
}
