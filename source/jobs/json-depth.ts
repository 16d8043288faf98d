const open = new Set([0x5b, 0x7b]); // [ {
const close = new Set([0x5d, 0x7d]); // ] }
const quote = 0x22;
const backslash = 0x5c;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, read without recursion: JSON.parse
 * takes 100,000 levels, but every recursive walk after it (a structured clone, a stringify, a
 * schema) then overflows the stack.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
	let depth = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === backslash) index++;
			else if (code === quote) inString = false;
		} else if (code === quote) {
			inString = true;
		} else if (open.has(code)) {
			if (++depth > limit) return true;
		} else if (close.has(code)) {
			depth--;
		}
	}
	return false;
}
