import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode} from '@alcalzone/ansi-tokenize';
import {isNarrow} from '../text/width.js';
import type {Piece} from './ink-output-row.js';

// The fast way to draw a row whose lines hold only one-column characters and SGR sequences
// (`ESC [ digits and semicolons m`): nearly every row of the dashboard. The exact way tokenizes
// each line into graphemes and builds an object per cell; here a cell is a character and a shared
// style, and the row string is written in one pass.
//
// Why the result is byte for byte the exact way's (`styledCharsToString(cells).trimEnd()`):
// - Every one-column character is a grapheme of its own, even beside an escape (a test checks
//   each), so the tokenizer splits such a line into exactly these characters and sequences.
// - A style is the library's own reduced code list, reached by running the library's reducer on
//   the library's tokens of each sequence, so resets, compound codes and 256 or true colours
//   reduce as they do there.
// - Between two cells the exact way writes the library's diff of their styles (nothing when they
//   are equal), and after the last cell the diff back to no style; here the same diffs are
//   written, only where the style changes.
// Styles and diffs are remembered, so a row costs a Map lookup per sequence and per style change.

/** A reduced style, shared by every cell drawn in it. */
type Style = {
	codes: AnsiCode[];
	/** The style each sequence leads to from this one. */
	after: Map<string, Style>;
	/** The escape codes that switch from this style to another. */
	switches: Map<Style, string>;
};

let styles = new Map<string, Style>();
/** Styles, sequences and switches remembered; true colours can make endlessly many. At the limit about 1 MB. */
let remembered = 0;
const rememberedLimit = 5000;
let plain = style([]);

function style(codes: AnsiCode[]): Style {
	const key = codes.map(code => code.code).join('');
	let found = styles.get(key);
	if (found === undefined) {
		found = {codes, after: new Map(), switches: new Map()};
		styles.set(key, found);
		remembered++;
	}
	return found;
}

/** The style after the SGR sequence `sequence`, as the library reduces it. */
function apply(from: Style, sequence: string): Style {
	let to = from.after.get(sequence);
	if (to === undefined) {
		// A whole SGR sequence tokenizes into codes only.
		to = style(reduceAnsiCodesIncremental(from.codes, tokenize(sequence) as AnsiCode[]));
		from.after.set(sequence, to);
		remembered++;
	}
	return to;
}

/** What the library writes between a cell in `from` and the next in `to`. */
function switchTo(from: Style, to: Style): string {
	let codes = from.switches.get(to);
	if (codes === undefined) {
		codes = ansiCodesToString(diffAnsiCodes(from.codes, to.codes));
		from.switches.set(to, codes);
		remembered++;
	}
	return codes;
}

// The cells of the row being drawn, kept from row to row: a character code and a style each, for
// `length` cells (past `width` when a line runs off the right edge; cells there that nothing was
// written to are holes, with no style).
let codes = new Uint16Array(256);
const cellStyles: Array<Style | undefined> = [];
let length = 0;

/** The row as the exact way draws it, or undefined when a line holds anything else. */
export function paintNarrow(width: number, pieces: Piece[]): string | undefined {
	if (remembered > rememberedLimit) forgetStyles();
	length = 0;
	reach(width);
	codes.fill(0x20, 0, width);
	cellStyles.fill(plain, 0, width);
	for (const {x, line} of pieces) if (!place(x, line)) return undefined;
	// Characters of one style are written as one string: a string per character, added one at a
	// time, made some hundred strings a row.
	let row = '';
	let previous = plain;
	let run = -1;
	for (let x = 0; x <= length; x++) {
		const cellStyle = x < length ? cellStyles[x] : undefined;
		if (run !== -1 && cellStyle !== previous) {
			row += charactersOf(run, x);
			run = -1;
		}
		if (cellStyle === undefined) continue;
		if (cellStyle !== previous) row += switchTo(previous, cellStyle);
		if (run === -1) run = x;
		previous = cellStyle;
	}
	const drawn = (row + switchTo(previous, plain)).trimEnd();
	// A line far wider than any terminal leaves no large buffers, nor old styles, behind it.
	if (codes.length > keptCells) {
		codes = new Uint16Array(256);
		cellStyles.length = 0;
	}
	return drawn;
}

const keptCells = 4096;

/** The characters of cells `from` to `to`, a few thousand at a time (each is an argument of a call). */
function charactersOf(from: number, to: number): string {
	let text = '';
	for (let start = from; start < to; start += 8192) text += String.fromCharCode.apply(null, codes.subarray(start, Math.min(to, start + 8192)) as unknown as number[]);
	return text;
}

/** Make cells up to `end` (exclusive) exist, new ones past the old length as holes. */
function reach(end: number): void {
	if (end <= length) return;
	if (end > codes.length) {
		const grown = new Uint16Array(Math.max(end, 2 * codes.length));
		grown.set(codes.subarray(0, length));
		codes = grown;
	}
	cellStyles.length = Math.max(cellStyles.length, end);
	cellStyles.fill(undefined, length, end);
	length = end;
}

/** Write a line's characters into the cells from column `x`; false when it is not all narrow and SGR. */
function place(x: number, line: string): boolean {
	let current = plain;
	let column = x;
	let at = 0;
	while (at < line.length) {
		const escape = line.indexOf('\u001B', at);
		const end = escape === -1 ? line.length : escape;
		if (end > at && !isNarrow(line.slice(at, end))) return false;
		reach(column + end - at);
		for (let index = at; index < end; index++, column++) {
			// Columns left of the screen are no cells at all.
			if (column < 0) continue;
			codes[column] = line.charCodeAt(index);
			cellStyles[column] = current;
		}
		if (escape === -1) break;
		const close = sgrEnd(line, escape);
		if (close === -1) return false;
		current = apply(current, line.slice(escape, close + 1));
		at = close + 1;
	}
	return true;
}

/** Where the SGR sequence starting at `escape` ends (its `m`), or -1 when it is no SGR sequence. */
function sgrEnd(line: string, escape: number): number {
	if (line.charCodeAt(escape + 1) !== 0x5B) return -1;
	for (let index = escape + 2; index < line.length; index++) {
		const code = line.charCodeAt(index);
		if (code === 0x6D) return index;
		// Digits and semicolons only, as the library's tokenizer reads a sequence.
		if (code !== 0x3B && (code < 0x30 || code > 0x39)) return -1;
	}
	return -1;
}

/** Let go of every remembered style. */
export function forgetStyles(): void {
	cellStyles.length = 0;
	styles = new Map();
	remembered = 0;
	plain = style([]);
}

/** How many styles, sequences and switches are remembered, for tests that check it stays bounded. */
export function styleCacheSize(): number {
	return remembered;
}
