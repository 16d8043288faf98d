import {Box} from 'ink';
import type {Glyphs} from '../glyphs.js';
import {Line, type Segment} from '../Line.js';

export type JobDetailProps = {
	/** The detail view's lines (see detailLines); only the window that fits is drawn. */
	lines: readonly Segment[][];
	/** Index of the first line shown. */
	scroll: number;
	/** Lines available. */
	height: number;
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** The detail view of one job, scrolled to `scroll`, with a marker when more lies below. */
export function JobDetail({lines, scroll, height, width, glyphs, color}: JobDetailProps) {
	if (height <= 0) return null;
	const more = lines.length - scroll > height;
	const shown = lines.slice(scroll, scroll + (more ? height - 1 : height));
	return (
		<Box flexDirection="column">
			{shown.map((segments, index) => (
				<Line key={scroll + index} segments={segments} width={width} ellipsis={glyphs.ellipsis} color={color} />
			))}
			{more ? <Line segments={[{text: `  (${lines.length - scroll - shown.length} more lines: Down/j, PgDn)`, dim: true}]} width={width} ellipsis={glyphs.ellipsis} color={color} /> : null}
		</Box>
	);
}

/** The largest useful scroll for `count` lines in `height` rows (the "more" line takes one). */
export function maxDetailScroll(count: number, height: number): number {
	return Math.max(0, count - Math.max(1, height));
}
