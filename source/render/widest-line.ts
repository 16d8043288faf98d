import {textWidth} from '../text/width.js';
import stripAnsi from 'strip-ansi';

// Stands in for the `widest-line` package inside Ink (see import-hooks.ts), with the same
// contract: the width of the widest line, escape sequences not counted. Ink calls it on every
// text node of every frame; plain ASCII needs no grapheme segmentation.


export default function widestLine(text: string): number {
	let widest = 0;
	for (const line of text.split('\n')) {
		const bare = line.includes('\u001B') ? stripAnsi(line) : line;
		widest = Math.max(widest, textWidth(bare));
	}
	return widest;
}
