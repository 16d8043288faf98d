// What a line holds that a normalising rule cannot match without (normalise.ts), found in one pass
// over its characters, so each rule is run only on lines it could change. A feature is a
// necessary condition only: a line that has it may still not match. Characters past ASCII count
// as whatever they could be (a space, a letter that case-folds to a unit's, µ), so no rule is ever
// skipped on a line it would have changed. Found once, before the rules: a rule's replacement
// never makes a feature the line did not have (each puts a placeholder, `<` to `>`, where its
// match was, keeping only text that stood side by side before), so a feature only goes stale
// the safe way, held by a line that lost it.

/** A run of 8 or more ASCII letters and digits, all hex digits (the hex id rule). */
export const hexRun = 1 << 0;
/** A run of 12 or more ASCII letters and digits (the generated id rule). */
export const longRun = 1 << 1;
/** 4 digits or more, then `-` or `/` (a date: 2025-11-30). */
export const yearThenDash = 1 << 2;
/** 8 digits or more, then `T` (20251130T131210Z). */
export const dateThenT = 1 << 3;
/** A month's short name as the rules spell it (Jan ... Dec). */
export const monthName = 1 << 4;
/** A digit, `/` or `.`, a digit (11/30/2025). */
export const digitSeparatorDigit = 1 << 5;
/** A digit, `:`, a digit (13:12). */
export const digitColonDigit = 1 << 6;
/** 10 digits or more (epoch seconds). */
export const tenDigits = 1 << 7;
/** A digit right before h, m, s, u or n (250ms, 3m10s). */
export const digitThenUnit = 1 << 8;
/** A digit, at most one blank, then a unit word's first letter in either case (2 Minutes). */
export const digitThenUnitWord = 1 << 9;
/** A digit right before st, nd, rd or th in either case (3rd, 2ND). */
export const ordinal = 1 << 10;
/** A digit, blanks, then a, r or t in either case (3 attempts, 5 retries, 2 tries). */
export const digitThenCount = 1 << 11;
/** A digit (every rule needs one). */
export const digit = 1 << 12;
/** Two blanks in a row, or a blank other than a space: blanks to squeeze. */
export const blanks = 1 << 13;
/** A digit right before x or X (0x7ffd). */
export const digitThenX = 1 << 14;
/** These words in any case: pid or tid, process or thread then `:`, `=` or `#` (past blanks and id), port, attempt, tr then i or y, ries. */
export const pidWord = 1 << 15;
export const processWord = 1 << 16;
export const portWord = 1 << 17;
export const attemptWord = 1 << 18;
export const trWord = 1 << 19;
export const tryWord = 1 << 20;
export const riesWord = 1 << 21;

// What each ASCII character is, for the scan.
const digitKind = 1;
const letterKind = 2;
const notHexKind = 4;
/** p, t, a or r in either case: the first letters of the words above. */
const wordKind = 8;
/** J, F, M, A, S, O, N or D: the first letters of the months. */
const monthKind = 16;
const blankKind = 32;
/** - / . : T, which after digits begin a date or a time. */
const markKind = 64;
const kinds = new Uint8Array(128);
/** The features a character makes right after a digit, by itself. */
const afterDigit = new Uint32Array(128);

function mark(table: Uint8Array | Uint32Array, chars: string, value: number): void {
	for (const char of chars) table[char.charCodeAt(0)]! |= value;
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
mark(kinds, '0123456789', digitKind);
mark(kinds, upper + upper.toLowerCase(), letterKind);
mark(kinds, upper.slice(6) + upper.slice(6).toLowerCase(), notHexKind);
mark(kinds, 'ptarPTAR', wordKind);
mark(kinds, 'JFMASOND', monthKind);
mark(kinds, ' \t\n\v\f\r', blankKind);
mark(kinds, '-/.:T', markKind);
mark(afterDigit, 'hmsun', digitThenUnit);
mark(afterDigit, 'nNuUmMsShHdD', digitThenUnitWord);
mark(afterDigit, 'sSnNrRtT', ordinal);
mark(afterDigit, 'xX', digitThenX);

/** The features of `text`: a set of the flags above. */
export function featuresOf(text: string): number {
	let found = 0;
	// The run of ASCII letters and digits going on, whether all hex, and the digits ending it.
	let run = 0;
	let hex = true;
	let digits = 0;
	const length = text.length;
	for (let index = 0; index < length; index++) {
		const code = text.charCodeAt(index);
		const kind = code < 0x80 ? kinds[code]! : 0;
		if ((kind & digitKind) !== 0) {
			run++;
			digits++;
			continue;
		}
		if (digits > 0) {
			found |= digit | afterDigits(text, index, code, kind, digits);
			digits = 0;
		}
		if ((kind & letterKind) !== 0) {
			run++;
			if ((kind & notHexKind) !== 0) hex = false;
			if ((kind & (wordKind | monthKind)) !== 0) found |= lettersAt(text, index, code, kind);
			continue;
		}
		if (run > 0) {
			found |= runEnds(run, hex);
			run = 0;
			hex = true;
		}
		if ((code >= 0x80 || (kind & blankKind) !== 0) && (code !== 0x20 || isBlank(text.charCodeAt(index + 1)))) found |= blanks;
	}
	if (digits > 0) found |= digit | (digits >= 10 ? tenDigits : 0);
	return found | runEnds(run, hex);
}

function runEnds(run: number, hex: boolean): number {
	return (run >= 8 && hex ? hexRun : 0) | (run >= 12 ? longRun : 0);
}

/** What the character `code` (of `kind`) at `index`, right after a run of `digits` digits, can begin. */
function afterDigits(text: string, index: number, code: number, kind: number, digits: number): number {
	if (code >= 0x80) return (digits >= 10 ? tenDigits : 0) | digitThenUnit | digitThenUnitWord | ordinal | digitThenCount;
	let found = (digits >= 10 ? tenDigits : 0) | afterDigit[code]!;
	if ((found & ordinal) !== 0 && !isOrdinalSuffix(code | 0x20, text.charCodeAt(index + 1) | 0x20)) found &= ~ordinal;
	if ((kind & markKind) !== 0) return found | markAfterDigits(text, index, code, digits);
	if ((kind & blankKind) !== 0) return found | blankAfterDigits(text, index);
	return found;
}

/** st, nd, rd or th (in lower case), as after the digits of 3rd: a letter past ASCII matches none of them in any case. */
function isOrdinalSuffix(first: number, second: number): boolean {
	return (first === 0x73 && second === 0x74) || ((first === 0x6e || first === 0x72) && second === 0x64) || (first === 0x74 && second === 0x68);
}

/** After digits, a date's or a time's mark: - / . : or T. */
function markAfterDigits(text: string, index: number, code: number, digits: number): number {
	const next = text.charCodeAt(index + 1);
	const digitNext = next >= 0x30 && next <= 0x39;
	switch (code) {
		case 0x2d: // -
			return digits >= 4 ? yearThenDash : 0;
		case 0x2f: // /
			return (digits >= 4 ? yearThenDash : 0) | (digitNext ? digitSeparatorDigit : 0);
		case 0x2e: // .
			return digitNext ? digitSeparatorDigit : 0;
		case 0x3a: // :
			return digitNext ? digitColonDigit : 0;
		default: // T
			return digits >= 8 ? dateThenT : 0;
	}
}

/** After digits, a blank: a unit's word after it (2 minutes), or a count's after blanks (3 attempts). */
function blankAfterDigits(text: string, index: number): number {
	const next = text.charCodeAt(index + 1);
	let found = next >= 0x80 || (next < 0x80 && (afterDigit[next]! & digitThenUnitWord) !== 0) ? digitThenUnitWord : 0;
	// Past the blanks (a character past ASCII among them), a, r or t.
	const first = text.charCodeAt(skipBlanks(text, index + 1)) | 0x20;
	if (first === 0x61 || first === 0x72 || first === 0x74) found |= digitThenCount;
	return found;
}

/** What the letter `code` (of `kind`: a month's or a word's first) at `index` begins. */
function lettersAt(text: string, index: number, code: number, kind: number): number {
	const month = (kind & monthKind) !== 0 && isMonth(text, index, code) ? monthName : 0;
	return (kind & wordKind) === 0 ? month : month | wordsAt(text, index, code | 0x20);
}

/** The words beginning at `index`, whose letter is `lower` in lower case (p, t, a or r). */
function wordsAt(text: string, index: number, lower: number): number {
	const next = text.charCodeAt(index + 1) | 0x20;
	switch (lower) {
		case 0x70: // p: pid, process, port
			if (next === 0x69) return followedBy(text, index, 'id') ? pidWord : 0;
			if (next === 0x72) return followedBy(text, index, 'rocess') && marked(text, index + 7) ? processWord : 0;
			return next === 0x6f && followedBy(text, index, 'ort') ? portWord : 0;
		case 0x74: {
			// t: tr then i or y, tid, thread
			if (next === 0x72) {
				const third = text.charCodeAt(index + 2) | 0x20;
				return third === 0x69 ? trWord : third === 0x79 ? trWord | tryWord : 0;
			}
			if (next === 0x69) return followedBy(text, index, 'id') ? pidWord : 0;
			return next === 0x68 && followedBy(text, index, 'hread') && marked(text, index + 6) ? processWord : 0;
		}
		case 0x61: // a: attempt
			return next === 0x74 && followedBy(text, index, 'ttempt') ? attemptWord : 0;
		default: // r: ries
			return next === 0x69 && followedBy(text, index, 'ies') ? riesWord : 0;
	}
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
function skipBlanks(text: string, index: number): number {
	while (isBlank(text.charCodeAt(index))) index++;
	return index;
}

/** Whether the letters after `index` are `rest` in any case (ASCII: none past it matches a letter in any case). */
function followedBy(text: string, index: number, rest: string): boolean {
	for (let at = 0; at < rest.length; at++) if ((text.charCodeAt(index + 1 + at) | 0x20) !== rest.charCodeAt(at)) return false;
	return true;
}

/** An ASCII blank (what \s matches below 0x80); a character past ASCII is taken for one too. NaN (past the end) is none. */
function isBlank(code: number): boolean {
	return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code >= 0x80;
}

/** Whether a month's short name begins at `index`, whose character is the upper case `code`. */
function isMonth(text: string, index: number, code: number): boolean {
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
