import {Text} from 'ink';
import {memo} from 'react';
import chalk, {type ChalkInstance} from 'chalk';
import {sanitize} from '../text/sanitize.js';
import {withoutColor, type Style} from './theme.js';
import {takeColumns, widthOf} from './text.js';

/** A run of text in one style. */
export type Segment = Style & {text: string};

/**
 * Cut styled segments to `width` columns, marking a cut with `ellipsis`.
 * Every segment is sanitized first: whatever a job wrote reaches the terminal as plain text.
 */
export function fitSegments(segments: readonly Segment[], width: number, ellipsis: string): Segment[] {
	const clean = segments.map(segment => ({...segment, text: sanitize(segment.text)}));
	const total = clean.reduce((sum, segment) => sum + widthOf(segment.text), 0);
	if (total <= width) return clean;
	let budget = Math.max(0, width - widthOf(ellipsis));
	const kept: Segment[] = [];
	for (const segment of clean) {
		const text = takeColumns(segment.text, budget);
		if (text !== '') kept.push({...segment, text});
		budget -= widthOf(text);
		if (text !== segment.text) break;
	}

	const last = kept.at(-1) ?? {text: ''};
	kept.push({...last, text: takeColumns(ellipsis, width)});
	return kept;
}

export type LineProps = {
	/** The pieces of the line, each in its own style. */
	segments: readonly Segment[];
	/** Columns available: the line is cut to fit, never wrapped. */
	width: number;
	/** What marks a cut: `…`, or `...` in ASCII mode. */
	ellipsis: string;
	/** False under NO_COLOR: colours are dropped, the text stays. */
	color: boolean;
	/** Draw the whole line inverted (the selected row). */
	inverse?: boolean;
};

const painters: Record<string, ChalkInstance> = {};

/** A segment's text with its style as escape sequences, the way Ink's own `<Text color>` draws it. */
function paint(segment: Segment): string {
	let painter: ChalkInstance = chalk;
	if (segment.color) painter = painters[segment.color] ??= (chalk as unknown as Record<string, ChalkInstance>)[segment.color] ?? chalk;
	if (segment.bold) painter = painter.bold;
	if (segment.dim) painter = painter.dim;
	if (segment.inverse) painter = painter.inverse;
	return painter === chalk ? segment.text : painter(segment.text);
}

function sameSegment(a: Segment, b: Segment): boolean {
	return a.text === b.text && a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse;
}

/** True when two lines draw the same: React then skips the line, and Ink neither lays it out nor draws it again. */
export function sameLine(a: LineProps, b: LineProps): boolean {
	if (a.width !== b.width || a.ellipsis !== b.ellipsis || a.color !== b.color || Boolean(a.inverse) !== Boolean(b.inverse)) return false;
	if (a.segments === b.segments) return true;
	if (a.segments.length !== b.segments.length) return false;
	return a.segments.every((segment, index) => sameSegment(segment, b.segments[index]!));
}

/** A line's text with its styles as escape sequences, cut to its width; '' when nothing is left. */
export function paintLine({segments, width, ellipsis, color, inverse = false}: LineProps): string {
	const fitted = fitSegments(segments, width, ellipsis);
	if (fitted.every(segment => segment.text === '')) return '';
	const text = fitted.map(segment => paint({...withoutColor(segment, color), text: segment.text})).join('');
	// As Ink's own `<Text inverse>` draws it.
	return inverse ? chalk.inverse(text) : text;
}

/**
 * One terminal line of styled text that never wraps and never overflows its width. It is one
 * Ink text node, styled here: Ink measures, lays out and tokenizes every text node of every frame,
 * and a node per segment made drawing a frame ten times the work. A line whose segments are
 * unchanged is not drawn again.
 */
export const Line = memo(function Line(props: LineProps) {
	return <Text wrap="truncate-end">{paintLine(props) || ' '}</Text>;
}, sameLine);
