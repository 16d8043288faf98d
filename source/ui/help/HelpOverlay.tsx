import {Box} from 'ink';
import type {Glyphs} from '../glyphs.js';
import {keymap, keysLabel} from '../keymap.js';
import {Line, type Segment} from '../Line.js';
import {fitTo} from '../text.js';

const keysWidth = 10;

/** The help overlay's lines: one per keymap entry, keys then description. */
export function helpLines(glyphs: Glyphs): Segment[][] {
	return keymap.map(entry => [{text: fitTo(keysLabel(entry), keysWidth, glyphs.ellipsis), bold: true}, {text: ` ${entry.description}`}]);
}

/** Rows the overlay takes for the whole keymap, borders included: it fits 80x24 with header and footer. */
export const helpHeight = keymap.length + 2;

export type HelpOverlayProps = {
	/** Terminal columns available. */
	width: number;
	/** Rows available, borders included; on a short terminal the list is cut. */
	height: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** Every binding of the keymap, drawn from the same table the keys are handled by. */
export function HelpOverlay({width, height, glyphs, color}: HelpOverlayProps) {
	const inner = Math.max(0, width - 4);
	const lines = helpLines(glyphs).slice(0, Math.max(0, height - 2));
	return (
		<Box flexDirection="column" borderStyle={glyphs.border} borderColor={color ? 'cyan' : undefined} paddingX={1} width="100%">
			{lines.map((segments, index) => (
				<Line key={index} segments={segments} width={inner} ellipsis={glyphs.ellipsis} color={color} />
			))}
		</Box>
	);
}
