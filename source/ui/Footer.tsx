import {memo} from 'react';
import type {Glyphs} from './glyphs.js';
import {type Command, footerHints} from './keymap.js';
import {Line, type Segment} from './Line.js';
import {widthOf} from './text.js';

const separator = '  ';

/**
 * The hints that fit in `width`, in keymap order: unpinned hints give way from the right until
 * the line fits, so `? help` and `q quit` always show (cut only on a terminal too narrow for both).
 */
export function fittingHints(width: number, leaveOut: readonly Command[] = []): ReturnType<typeof footerHints> {
	const hints = footerHints(leaveOut);
	const widthOfHints = (list: typeof hints) => list.reduce((sum, {keys, hint}, index) => sum + (index > 0 ? separator.length : 0) + widthOf(`${keys.join('/')} ${hint}`), 0);
	while (widthOfHints(hints) > width) {
		const last = hints.findLastIndex(hint => !hint.pinned);
		if (last === -1) break;
		hints.splice(last, 1);
	}
	return hints;
}

/** The footer's segments for `width` columns: each hint's keys in bold, then its word. */
export function footerSegments(width = Number.POSITIVE_INFINITY, leaveOut: readonly Command[] = []): Segment[] {
	return fittingHints(width, leaveOut).flatMap(({keys, hint}, index) => [{text: `${index > 0 ? separator : ''}${keys.join('/')}`, bold: true}, {text: ` ${hint}`}]);
}

export type FooterProps = {
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
	/** Commands whose hints this screen leaves out (the fleet view's `a`). */
	leaveOut?: readonly Command[];
};

/** The key hints line, from the keymap; worked out again only when its props change, not every frame. */
export const Footer = memo(function Footer({width, glyphs, color, leaveOut}: FooterProps) {
	return <Line segments={footerSegments(width, leaveOut)} width={width} ellipsis={glyphs.ellipsis} color={color} />;
});
