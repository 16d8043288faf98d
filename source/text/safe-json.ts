// JSON.stringify escapes C0 controls but writes DEL, C1 controls and the bidi and format controls
// (SPEC section 10) as they are, and a terminal acts on them.
const unescaped = /[\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * `JSON.stringify`, with every control and bidi or format character written as a `\uXXXX` escape:
 * the value a program parses is the same (a path stays the real path), and the terminal a person
 * reads it in never receives one.
 */
export function terminalSafeJson(value: unknown, space?: number): string {
	return JSON.stringify(value, null, space).replaceAll(unescaped, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
