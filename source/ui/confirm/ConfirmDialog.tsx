import {Box} from 'ink';
import type {Glyphs} from '../glyphs.js';
import {dialogHints} from '../keymap.js';
import {Line} from '../Line.js';
import {confirmationLines, type Confirmation} from '../../sentinel/act/manual-action.js';

/** Rows the dialog takes, borders included. */
export const confirmDialogHeight = 6;

export type ConfirmDialogProps = {
	/** The action, the job and process it goes to, and what will happen. */
	confirmation: Confirmation;
	/** Terminal columns available. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	/** False under NO_COLOR. */
	color: boolean;
};

/** Asks before a manual recover or terminate; the answer is No unless `y` is pressed. */
export function ConfirmDialog({confirmation, width, glyphs, color}: ConfirmDialogProps) {
	const [question, pidAndCommand, outcome] = confirmationLines(confirmation, glyphs.separator);
	const inner = Math.max(0, width - 4);
	const line = (text: string, bold = false) => <Line segments={[{text, bold}]} width={inner} ellipsis={glyphs.ellipsis} color={color} />;
	return (
		<Box flexDirection="column" borderStyle={glyphs.border} borderColor={color ? 'yellow' : undefined} paddingX={1} width="100%">
			{line(question, true)}
			{line(pidAndCommand)}
			{line(outcome)}
			{line(dialogHints('confirm', '    '))}
		</Box>
	);
}
