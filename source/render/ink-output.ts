import sliceAnsi from 'slice-ansi';
import {textWidth} from '../text/width.js';
import {drawRow, type Piece} from './ink-output-row.js';

// Stands in for Ink 6.8's build/output.js, with the same contract and byte for byte the same
// output. Ink builds a fresh Output every frame and its caches die with it, so each frame it
// re-tokenizes, re-measures and re-serializes every row of the screen, an object per cell. Here
// finished rows outlive the frame (ink-output-row.ts), so an unchanged row costs a key and a Map
// lookup, and a changed row of one-column characters and colour codes is drawn in one pass
// without an object per cell (sgr-row.ts).

type Transformer = (line: string, index: number) => string;

type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

export default class Output {
	width: number;
	height: number;
	private readonly operations: Operation[] = [];

	constructor({width, height}: {width: number; height: number}) {
		this.width = width;
		this.height = height;
	}

	write(x: number, y: number, text: string, {transformers}: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		// As in Ink, rows exist for every y below the height, so bottom margins survive.
		const rows: Piece[][] = [];
		for (let y = 0; y < this.height; y++) rows.push([]);
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			else if (operation.type === 'unclip') clips.pop();
			else place(rows, operation, clips.at(-1));
		}
		return {output: rows.map(pieces => drawRow(this.width, pieces)).join('\n'), height: rows.length};
	}
}

/** Cut a write to the clip, run its transformers, and add its lines to the rows they land on. */
function place(rows: Piece[][], write: Operation & {type: 'write'}, clip: Clip | undefined): void {
	const {text, transformers} = write;
	let {x, y} = write;
	let lines = text.split('\n');
	if (clip) {
		const {x1, x2, y1, y2} = clip;
		const horizontal = typeof x1 === 'number' && typeof x2 === 'number';
		const vertical = typeof y1 === 'number' && typeof y2 === 'number';
		// Text wholly outside the clip is skipped before any cutting.
		if (horizontal && (x + widest(lines) < x1 || x > x2)) return;
		if (vertical && (y + lines.length < y1 || y > y2)) return;
		if (horizontal) {
			const from = x < x1 ? x1 - x : 0;
			lines = lines.map(line => {
				const width = textWidth(line);
				return sliceAnsi(line, from, x + width > x2 ? x2 - x : width);
			});
			if (x < x1) x = x1;
		}
		if (vertical) {
			const from = y < y1 ? y1 - y : 0;
			const to = y + lines.length > y2 ? y2 - y : lines.length;
			lines = lines.slice(from, to);
			if (y < y1) y = y1;
		}
	}
	// Ink moves down only after a line lands, so lines that miss every row (text taller than the
	// screen, or above it) all miss, and their transformers never run.
	let offsetY = 0;
	for (let [index, line] of lines.entries()) {
		const row = rows[y + offsetY];
		if (!row) continue;
		for (const transformer of transformers) line = transformer(line, index);
		row.push({x, line});
		offsetY++;
	}
}

function widest(lines: string[]): number {
	let width = 0;
	for (const line of lines) width = Math.max(width, textWidth(line));
	return width;
}
