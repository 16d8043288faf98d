import stripAnsi from 'strip-ansi';

// C0 and C1 controls and DEL; tabs and newlines become spaces so one job stays on one line.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/g;
// Bidi and format controls (SPEC section 10): invisible, yet they reorder or hide what follows
// them on the screen ("Trojan Source"), so a job id could read as another job's.
const formatControls = /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// Every escape sequence starts with a control character (ESC or CSI): without one of these there is nothing to do.
// eslint-disable-next-line no-control-regex
const anyUnsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/**
 * A string from a job file, made safe for a terminal: escape sequences, control characters and
 * bidi and format controls removed.
 */
export function sanitize(value: string): string {
	if (!anyUnsafe.test(value)) return value;
	// Format controls go first, so one inside an escape sequence cannot keep stripAnsi from seeing it.
	return stripAnsi(value.replaceAll(formatControls, '')).replaceAll(/[\t\n\r]/g, ' ').replaceAll(controlCharacters, '');
}
