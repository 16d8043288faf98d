import type {Glyphs} from './glyphs.js';
import {footerHints} from './keymap.js';
import {Line, type Segment} from './Line.js';

/** The footer's segments: each hint's keys in bold, then its word. */
export function footerSegments(): Segment[] {
	return footerHints().flatMap(({keys, hint}, index) => [{text: `${index > 0 ? '  ' : ''}${keys.join('/')}`, bold: true}, {text: ` ${hint}`}]);
}

export type FooterProps = {
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** The key hints line, from the keymap. */
export function Footer({width, glyphs, color}: FooterProps) {
	return <Line segments={footerSegments()} width={width} ellipsis={glyphs.ellipsis} color={color} />;
}
