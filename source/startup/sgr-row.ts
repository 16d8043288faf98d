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

/** The row as the exact way draws it, or undefined when a line holds anything else. */
export function paintNarrow(width: number, pieces: Piece[]): string | undefined {
	if (remembered > rememberedLimit) forgetStyles();
	// Cells past the right edge that nothing was written to stay holes and are dropped, as in Ink.
	const characters: string[] = [];
	const cellStyles: Array<Style | undefined> = [];
	for (let x = 0; x < width; x++) {
		characters.push(' ');
		cellStyles.push(plain);
	}
	for (const {x, line} of pieces) if (!place(x, line, characters, cellStyles)) return undefined;
	let row = '';
	let previous = plain;
	for (let x = 0; x < cellStyles.length; x++) {
		const cellStyle = cellStyles[x];
		if (cellStyle === undefined) continue;
		if (cellStyle !== previous) row += switchTo(previous, cellStyle);
		row += characters[x];
		previous = cellStyle;
	}
	return (row + switchTo(previous, plain)).trimEnd();
}

/** Write a line's characters into the cells from column `x`; false when it is not all narrow and SGR. */
function place(x: number, line: string, characters: string[], cellStyles: Array<Style | undefined>): boolean {
	let current = plain;
	let column = x;
	let at = 0;
	while (at < line.length) {
		const escape = line.indexOf('\u001B', at);
		const end = escape === -1 ? line.length : escape;
		if (end > at && !isNarrow(line.slice(at, end))) return false;
		for (let index = at; index < end; index++, column++) {
			// Columns left of the screen are no cells at all.
			if (column < 0) continue;
			characters[column] = line[index]!;
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
	styles = new Map();
	remembered = 0;
	plain = style([]);
}

/** How many styles, sequences and switches are remembered, for tests that check it stays bounded. */
export function styleCacheSize(): number {
	return remembered;
}
