import {styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar} from '@alcalzone/ansi-tokenize';
import {textWidth} from '../text/width.js';
import {BoundedCache} from './bounded-cache.js';
import {forgetStyles, paintNarrow, styleCacheSize} from './sgr-row.js';

// Draws one row of the screen the way Ink 6.8's Output.get() does, remembering finished rows
// across frames: between two frames almost every row is written with the same pieces again.

/** One line of text written onto a row, starting at column `x`. */
export type Piece = {x: number; line: string};

/**
 * Finished rows: at most 2,000 (a frame has one per terminal line), and 500,000 UTF-16 units of
 * rows and their keys, under 1 MB: ten screens of 200 x 60.
 */
const rows = new BoundedCache<string>(2000, 500_000);

/**
 * Lines of the rows the fast way leaves alone (wide characters, links, tabs), tokenized once: at
 * most 20,000 UTF-16 units of them. Each unit keeps a styled char object, about 300 bytes of heap,
 * so this is about 6 MB: more than a full 200 x 60 screen.
 */
const lines = new BoundedCache<StyledChar[]>(Number.POSITIVE_INFINITY, 20_000);

/** Widths of at most 2,000 distinct characters. */
const widths = new BoundedCache<number>(2000);

const blank: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: []};

export function drawRow(width: number, pieces: Piece[]): string {
	// A row of spaces trims to nothing, whatever its width.
	if (pieces.length === 0) return '';
	// Each line is prefixed by its length, so no two piece sequences share a key.
	let key = String(width);
	for (const {x, line} of pieces) key += `\n${x}\n${line.length}\n${line}`;
	let row = rows.get(key);
	if (row === undefined) {
		// Nearly every row takes the fast way (sgr-row.ts); the rest are tokenized cell by cell.
		row = paintNarrow(width, pieces) ?? paint(width, pieces);
		rows.set(key, row, key.length + row.length);
	}
	return row;
}

/** The exact way, as Ink draws: a styled char object per cell. */
function paint(width: number, pieces: Piece[]): string {
	const cells: Array<StyledChar | undefined> = [];
	for (let x = 0; x < width; x++) cells.push(blank);
	for (const {x, line} of pieces) {
		let column = x;
		for (const char of styledLine(line)) {
			const charWidth = columns(char.value);
			cells[column] = char;
			// The cells a wide character covers print nothing but keep its style.
			for (let cover = 1; cover < charWidth; cover++) cells[column + cover] = {type: 'char', value: '', fullWidth: false, styles: char.styles};
			column += charWidth;
		}
	}
	// Writes past the right edge leave holes; writes left of it land on no cell at all.
	return styledCharsToString(cells.filter(cell => cell !== undefined)).trimEnd();
}

function styledLine(line: string): StyledChar[] {
	let styled = lines.get(line);
	if (styled === undefined) {
		styled = styledCharsFromTokens(tokenize(line));
		lines.set(line, styled, line.length);
	}
	return styled;
}

/** Columns a character advances the cursor by: at least one, as in Ink. */
function columns(char: string): number {
	// Printable ASCII, nearly every character of a frame, needs no lookup.
	if (char.length === 1 && char >= ' ' && char <= '~') return 1;
	let width = widths.get(char);
	if (width === undefined) {
		width = Math.max(1, textWidth(char));
		widths.set(char, width);
	}
	return width;
}

/** How much the row caches hold now, for tests that check they stay bounded. */
export function rowCacheSizes(): {rows: number; rowUnits: number; lines: number; lineUnits: number; widths: number; styles: number} {
	return {rows: rows.size, rowUnits: rows.units, lines: lines.size, lineUnits: lines.units, widths: widths.size, styles: styleCacheSize()};
}

/** Forget every remembered row, line, width and style, so tests can draw a frame from nothing. */
export function forgetRows(): void {
	rows.clear();
	lines.clear();
	widths.clear();
	forgetStyles();
}
