// The words the normalising rules name (normalise.ts), found where a word begins for line-features.ts's
// one pass: each rule's word follows a character that is not a letter (a boundary, a blank or a
// lookbehind), so a line is looked at only where a word begins with one of their first letters.
// Their flags sit among line-features.ts's, which exports them with its own.

/** A month's short name as the rules spell it (Jan ... Dec). */
export const monthName = 1 << 4;
/**
 * These words in any case, each where a word begins (after a character that is not an ASCII
 * letter): pid, ppid or tid; process or thread then `:`, `=` or `#` (past blanks and id); port;
 * attempt; tri, try, retri or retry; try or retry; trie or retrie.
 */
export const pidWord = 1 << 15;
export const processWord = 1 << 16;
export const portWord = 1 << 17;
export const attemptWord = 1 << 18;
export const trWord = 1 << 19;
export const tryWord = 1 << 20;
export const riesWord = 1 << 21;

/** The words beginning at `index`, whose letter is `lower` in lower case (p, t, a or r), after a character that is not a letter. */
export function wordsAt(text: string, index: number, lower: number): number {
	const next = text.charCodeAt(index + 1) | 0x20;
	switch (lower) {
		case 0x70: // p: pid, ppid, process, port
			if (next === 0x69) return followedBy(text, index, 'id') ? pidWord : 0;
			if (next === 0x70) return followedBy(text, index, 'pid') ? pidWord : 0;
			if (next === 0x72) return followedBy(text, index, 'rocess') && marked(text, index + 7) ? processWord : 0;
			return next === 0x6f && followedBy(text, index, 'ort') ? portWord : 0;
		case 0x74: // t: tid, thread, tries, try, trial
			if (next === 0x72) return triesAt(text, index + 2);
			if (next === 0x69) return followedBy(text, index, 'id') ? pidWord : 0;
			return next === 0x68 && followedBy(text, index, 'hread') && marked(text, index + 6) ? processWord : 0;
		case 0x61: // a: attempt
			return next === 0x74 && followedBy(text, index, 'ttempt') ? attemptWord : 0;
		default: // r: retry, retries, retrying, retried
			return next === 0x65 && followedBy(text, index, 'etr') ? triesAt(text, index + 4) : 0;
	}
}

/** What follows `tr` at `index`: i (tries, trial, retries), y (try, retry), ie (tries, retries). */
function triesAt(text: string, index: number): number {
	const third = text.charCodeAt(index) | 0x20;
	if (third === 0x79) return trWord | tryWord;
	if (third !== 0x69) return 0;
	return (text.charCodeAt(index + 1) | 0x20) === 0x65 ? trWord | riesWord : trWord;
}

/** Whether `index` begins blanks, `id` and blanks, then `:`, `=` or `#` (process id: 42, thread=7). */
function marked(text: string, index: number): boolean {
	const at = skipBlanks(text, index);
	if ((text.charCodeAt(at) | 0x20) === 0x69 && (text.charCodeAt(at + 1) | 0x20) === 0x64) {
		const past = skipBlanks(text, at + 2);
		if (isMark(text.charCodeAt(past))) return true;
	}
	return isMark(text.charCodeAt(at));
}

function isMark(code: number): boolean {
	return code === 0x3a || code === 0x3d || code === 0x23;
}

/** The first index from `index` on that is not a blank (past ASCII, taken for one). */
export function skipBlanks(text: string, index: number): number {
	while (isBlank(text.charCodeAt(index))) index++;
	return index;
}

/** Whether the letters after `index` are `rest` in any case (ASCII: none past it matches a letter in any case). */
export function followedBy(text: string, index: number, rest: string): boolean {
	for (let at = 0; at < rest.length; at++) if ((text.charCodeAt(index + 1 + at) | 0x20) !== rest.charCodeAt(at)) return false;
	return true;
}

/** An ASCII blank (what \s matches below 0x80); a character past ASCII is taken for one too. NaN (past the end) is none. */
export function isBlank(code: number): boolean {
	return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code >= 0x80;
}

/** Whether a month's short name begins at `index`, whose character is the upper case `code`. */
export function isMonth(text: string, index: number, code: number): boolean {
	switch (code) {
		case 0x4a: // J
			return text.startsWith('Jan', index) || text.startsWith('Jun', index) || text.startsWith('Jul', index);
		case 0x46: // F
			return text.startsWith('Feb', index);
		case 0x4d: // M
			return text.startsWith('Mar', index) || text.startsWith('May', index);
		case 0x41: // A
			return text.startsWith('Apr', index) || text.startsWith('Aug', index);
		case 0x53: // S
			return text.startsWith('Sep', index);
		case 0x4f: // O
			return text.startsWith('Oct', index);
		case 0x4e: // N
			return text.startsWith('Nov', index);
		default: // D
			return text.startsWith('Dec', index);
	}
}
