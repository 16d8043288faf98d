// The hash a job's recent lines are kept by (progress.ts): a polynomial over the UTF-16 code units
// of a normalised line, modulo 2^32: h = start * base^n + c0 * base^(n-1) + ... + c(n-1). A
// character's part is its code times a weight that depends only on its place from the end, so a
// line that differs from a known one in a few characters is hashed from the known one's hash in a
// step a character (line-shapes.ts), where a hash like FNV must be taken again over every one.

/** The polynomial's base: odd, so every weight is odd and a change of one character always shows. */
export const hashBase = 0x01_00_01_93;
const hashStart = 0x81_1c_9d_c5;

/** The hash of `text` from `start` to `end`: one multiply a character, no allocation. */
export function hashText(text: string, start: number, end: number): number {
	let hash = hashStart;
	for (let index = start; index < end; index++) hash = (Math.imul(hash, hashBase) + text.charCodeAt(index)) | 0;
	return hash >>> 0;
}
