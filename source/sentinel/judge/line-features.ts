// What a line holds that a normalising rule cannot match without (normalise.ts), found in one pass
// over its characters, so each rule is run only on lines it could change. A feature is a
// necessary condition only: a line that has it may still not match. Characters past ASCII count
// as whatever they could be (a space, a letter that case-folds to a unit's, µ), so no rule is ever
// skipped on a line it would have changed. Found once, before the rules: a rule's replacement
// never makes a feature the line did not have (each puts a placeholder, `<` to `>`, where its
// match was, keeping only text that stood side by side before), so a feature only goes stale
// the safe way, held by a line that lost it.

import {followedBy, isBlank, isMonth, monthName, skipBlanks, wordsAt} from './line-words.js';

export {attemptWord, monthName, pidWord, portWord, processWord, riesWord, trWord, tryWord} from './line-words.js';

/** A run of 8 or more ASCII letters and digits, all hex digits (the hex id rule). */
export const hexRun = 1 << 0;
/** A run of 12 or more ASCII letters and digits (the generated id rule). */
export const longRun = 1 << 1;
/** 4 digits or more, then `-` or `/` (a date: 2025-11-30). */
export const yearThenDash = 1 << 2;
/** 8 digits or more, then `T` (20251130T131210Z). */
export const dateThenT = 1 << 3;
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
/** `:` and a digit after an address's end: a dot's part or `]`, `localhost`, a `//` host (the port rule). */
export const addressPort = 1 << 22;
/** 4 dashes or more (a UUID). */
export const fourDashes = 1 << 23;
/** `/s` (a rate). */
export const slashS = 1 << 24;
/** `]:` (name[pid]:). */
export const bracketColon = 1 << 25;
/** A control character or one past ASCII: the line may need sanitising (an escape sequence, a bidi control), which may change its features. */
export const unsafe = 1 << 26;
/** A tab, newline or carriage return: sanitising makes each a space, which changes no feature (blanks is already found). */
export const tabs = 1 << 27;

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
/** What an address's name is made of, after its dot ([\w.-] of the port rule's pre-test). */
const nameKind = 128;
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
mark(kinds, '0123456789_.-' + upper + upper.toLowerCase(), nameKind);
mark(afterDigit, 'hmsun', digitThenUnit);
mark(afterDigit, 'nNuUmMsShHdD', digitThenUnitWord);
mark(afterDigit, 'sSnNrRtT', ordinal);
mark(afterDigit, 'xX', digitThenX);

/**
 * The features the text featuresOf read last holds at two places or more (set there beside its
 * result, without an object a line). Every match of a rule holds one of its pre-test's features
 * within it, at a place of its own (the digits before a unit, the word, the run of hex digits):
 * so a rule whose feature a line holds at one place has one match at most, and its search can
 * stop at the first (normalise.ts).
 */
export let featuresTwice = 0;

/**
 * The features of `text`: a set of the flags above. Letters cost little: the words are looked for
 * only where one begins (every rule's word follows a character that is not a letter: a boundary,
 * a blank or a lookbehind), and only when its first letter is one of theirs.
 */
export function featuresOf(text: string): number {
	let found = 0;
	let twice = 0;
	// The run of ASCII letters and digits going on, whether all hex, and the digits ending it.
	let run = 0;
	let hex = true;
	let digits = 0;
	// Whether the character before was an ASCII letter (a word goes on).
	let inWord = false;
	let dashes = 0;
	// Since a dot or `]`, only an address's name (the port rule's pre-test); since `//`, no blank, `/` or `:`.
	let address = false;
	let host = false;
	const length = text.length;
	for (let index = 0; index < length; index++) {
		const code = text.charCodeAt(index);
		const kind = code < 0x80 ? kinds[code]! : 0;
		if ((kind & digitKind) !== 0) {
			run++;
			digits++;
			inWord = false;
			continue;
		}
		if (digits > 0) {
			const after = digit | afterDigits(text, index, code, kind, digits);
			twice |= found & after;
			found |= after;
			digits = 0;
		}
		if ((kind & letterKind) !== 0) {
			run++;
			if ((kind & notHexKind) !== 0) hex = false;
			if (!inWord && (kind & (wordKind | monthKind)) !== 0) {
				const words = lettersAt(text, index, code, kind);
				twice |= found & words;
				found |= words;
			}
			inWord = true;
			continue;
		}
		inWord = false;
		if (run > 0) {
			const ended = runEnds(run, hex);
			twice |= found & ended;
			found |= ended;
			run = 0;
			hex = true;
		}
		if (code >= 0x80 || code < 0x20 || code === 0x7f) {
			found |= code === 0x09 || code === 0x0a || code === 0x0d ? tabs : unsafe;
			address = false;
			if ((kind & blankKind) !== 0) host = false;
			if (code !== 0x20 || isBlank(text.charCodeAt(index + 1))) found |= blanks;
			continue;
		}
		switch (code) {
			case 0x20: // a space
				address = false;
				host = false;
				if (isBlank(text.charCodeAt(index + 1))) found |= blanks;
				break;
			case 0x2d: // -
				dashes++;
				break;
			case 0x2e: // .
				address = true;
				break;
			case 0x2f: // /
				address = false;
				host = text.charCodeAt(index - 1) === 0x2f;
				if (text.charCodeAt(index + 1) === 0x73) {
					twice |= found & slashS;
					found |= slashS;
				}
				break;
			case 0x5d: // ]
				address = true;
				if (text.charCodeAt(index + 1) === 0x3a) {
					twice |= found & bracketColon;
					found |= bracketColon;
				}
				break;
			case 0x3a: {
				// :
				const next = text.charCodeAt(index + 1);
				if (next >= 0x30 && next <= 0x39 && (address || host || afterLocalhost(text, index))) {
					twice |= found & addressPort;
					found |= addressPort;
				}
				address = false;
				host = false;
				break;
			}
			default:
				if ((kind & nameKind) === 0) address = false;
		}
	}
	const last = (digits > 0 ? digit | (digits >= 10 ? tenDigits : 0) : 0) | runEnds(run, hex);
	// A UUID's match holds 4 dashes: two need 8.
	featuresTwice = twice | (found & last) | (dashes >= 8 ? fourDashes : 0);
	return found | last | (dashes >= 4 ? fourDashes : 0);
}

/** Whether `localhost`, in any case, ends right before `index`. */
function afterLocalhost(text: string, index: number): boolean {
	return index >= 9 && followedBy(text, index - 10, 'localhost');
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
