import stringWidth from 'string-width';
import {isNarrow, textWidth} from '../text/width.js';

// Made on first use: the first Intl.Segmenter of a process loads ICU's locale data (15-20 ms),
// and the dashboard's first frames are one-column text that never needs it.
let graphemes: Intl.Segmenter | undefined;
/** Terminal columns a string takes (wide characters count two). */
export function widthOf(text: string): number {
	return textWidth(text);
}

/** The longest prefix of `text` that fits in `cells` columns, never splitting a character. */
export function takeColumns(text: string, cells: number): string {
	if (isNarrow(text)) return text.slice(0, Math.max(0, cells));
	let kept = '';
	let used = 0;
	graphemes ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	for (const {segment} of graphemes.segment(text)) {
		const width = stringWidth(segment);
		if (used + width > cells) break;
		kept += segment;
		used += width;
	}

	return kept;
}

/** Cut `text` to at most `width` columns, ending with `ellipsis` when cut. Never wraps, never overflows. */
export function truncate(text: string, width: number, ellipsis: string): string {
	if (width <= 0) return '';
	if (widthOf(text) <= width) return text;
	const room = width - widthOf(ellipsis);
	if (room < 0) return takeColumns(ellipsis, width);
	return takeColumns(text, room) + ellipsis;
}

/** The longest suffix of `text` that fits in `cells` columns, never splitting a character. */
export function takeLastColumns(text: string, cells: number): string {
	if (cells <= 0) return '';
	if (isNarrow(text)) return text.slice(-cells);
	graphemes ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	const pieces = [...graphemes.segment(text)].map(({segment}) => segment);
	let kept = '';
	let used = 0;
	for (let index = pieces.length - 1; index >= 0; index--) {
		const width = stringWidth(pieces[index]!);
		if (used + width > cells) break;
		kept = pieces[index]! + kept;
		used += width;
	}

	return kept;
}

/**
 * Cut `text` to at most `width` columns by taking out its middle: ids that share a prefix
 * (`train-run-01`, `train-run-02`) stay told apart by their ends.
 */
export function truncateMiddle(text: string, width: number, ellipsis: string): string {
	if (width <= 0) return '';
	if (widthOf(text) <= width) return text;
	const room = width - widthOf(ellipsis);
	if (room < 2) return truncate(text, width, ellipsis);
	const tail = takeLastColumns(text, Math.floor(room / 2));
	return takeColumns(text, room - widthOf(tail)) + ellipsis + tail;
}

/** `text` cut and padded to exactly `width` columns. */
export function fitTo(text: string, width: number, ellipsis: string, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width, ellipsis);
	const fill = ' '.repeat(Math.max(0, width - widthOf(cut)));
	return align === 'left' ? cut + fill : fill + cut;
}
