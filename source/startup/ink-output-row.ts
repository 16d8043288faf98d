import {styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar} from '@alcalzone/ansi-tokenize';
import {textWidth} from '../text/width.js';
import {forgetStyles, paintNarrow, styleCacheSize} from './sgr-row.js';

// Draws one row of the screen the way Ink 6.8's Output.get() does, remembering finished rows
// across frames: between two frames almost every row is written with the same pieces again.

/** One line of text written onto a row, starting at column `x`. */
export type Piece = {x: number; line: string};

const rows = new Map<string, string>();
let rowUnits = 0;
/** Finished rows remembered at most; a frame has one per terminal line. */
const rowLimit = 2000;
/** UTF-16 units of rows and their keys remembered at most, under 1 MB: ten screens of 200 x 60. */
const rowUnitLimit = 500_000;

/** Lines of the rows the fast way leaves alone (wide characters, links, tabs), tokenized once. */
const lines = new Map<string, StyledChar[]>();
let lineUnits = 0;
/**
 * UTF-16 units of lines remembered at most. Each unit keeps a styled char object, about 300 bytes
 * of heap, so this is about 6 MB: more than a full 200 x 60 screen.
 */
const lineUnitLimit = 20_000;

const widths = new Map<string, number>();
/** Distinct characters whose width is remembered at most. */
const widthLimit = 2000;

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
		if (rows.size >= rowLimit || rowUnits + key.length + row.length > rowUnitLimit) {
			rows.clear();
			rowUnits = 0;
		}
		rows.set(key, row);
		rowUnits += key.length + row.length;
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
		if (lineUnits + line.length > lineUnitLimit) {
			lines.clear();
			lineUnits = 0;
		}
		lines.set(line, styled);
		lineUnits += line.length;
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
		if (widths.size >= widthLimit) widths.clear();
		widths.set(char, width);
	}
	return width;
}

/** How much the row caches hold now, for tests that check they stay bounded. */
export function rowCacheSizes(): {rows: number; rowUnits: number; lines: number; lineUnits: number; widths: number; styles: number} {
	return {rows: rows.size, rowUnits, lines: lines.size, lineUnits, widths: widths.size, styles: styleCacheSize()};
}

/** Forget every remembered row, line, width and style, so tests can draw a frame from nothing. */
export function forgetRows(): void {
	rows.clear();
	rowUnits = 0;
	lines.clear();
	lineUnits = 0;
	widths.clear();
	forgetStyles();
}
