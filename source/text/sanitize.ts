import stripAnsi from 'strip-ansi';

// C0 and C1 controls and DEL; tabs and newlines become spaces so one job stays on one line.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/g;
// Every escape sequence starts with a control character (ESC or CSI): without one there is nothing to do.
// eslint-disable-next-line no-control-regex
const anyControl = /[\u0000-\u001F\u007F-\u009F]/;

/** A string from a job file, made safe for a terminal: escape sequences and control characters removed. */
export function sanitize(value: string): string {
	if (!anyControl.test(value)) return value;
	return stripAnsi(value).replaceAll(/[\t\n\r]/g, ' ').replaceAll(controlCharacters, '');
}
