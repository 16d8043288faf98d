import {Text} from 'ink';
import {useRef} from 'react';
import {paintLine, sameLine, type LineProps, type Segment} from './Line.js';

/** One of the lines of a `<Lines>`: its segments, and a key that follows it from frame to frame. */
export type KeyedLine = {
	key: string;
	segments: readonly Segment[];
	/** Drawn inverted (the selected row). */
	inverse?: boolean;
};

export type LinesProps = {
	lines: readonly KeyedLine[];
	/** Columns available: each line is cut to fit, never wrapped. */
	width: number;
	/** What marks a cut: `…`, or `...` in ASCII mode. */
	ellipsis: string;
	/** False under NO_COLOR. */
	color: boolean;
};

type Painted = {line: LineProps; text: string};

/**
 * Many lines drawn as one Ink text node. Ink lays out, measures and draws every node of every
 * frame, and React keeps a component for each: a job table of forty `<Line>`s cost a frame
 * twice the work of one node holding forty lines. A line whose segments are unchanged since the
 * last frame (by its key) is not painted again.
 */
export function Lines({lines, width, ellipsis, color}: LinesProps) {
	const painted = useRef(new Map<string, Painted>());
	const previous = painted.current;
	const next = new Map<string, Painted>();
	const texts = lines.map(({key, segments, inverse}) => {
		const line: LineProps = {segments, width, ellipsis, color, inverse};
		const known = previous.get(key);
		const entry = known && sameLine(known.line, line) ? known : {line, text: paintLine(line)};
		next.set(key, entry);
		return entry.text;
	});
	painted.current = next;
	// Lines are cut to the width already; truncation only matters for the one frame Ink draws at a
	// new, narrower width before this component draws again.
	return <Text wrap="truncate-end">{texts.join('\n')}</Text>;
}
