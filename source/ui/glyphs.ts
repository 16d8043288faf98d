/** The characters the screen draws with, in a Unicode and an ASCII-only set. */
export type Glyphs = {
	/** Marks a cut string. */
	ellipsis: string;
	/** Marks the selected row. */
	selected: string;
	/** Marks a paused job. */
	paused: string;
	/** Separates header fields. */
	separator: string;
	/** Sparkline levels, lowest first. */
	spark: readonly string[];
	/** Ink border style for dialogs. */
	border: 'round' | 'classic';
	/** Indents a child process under its parent. */
	branch: string;
	/** Marks the column the table is sorted by. */
	sortMark: string;
	/** Marks a fleet job whose host is down or no longer scraped: its values are the last known. */
	stale: string;
};

const unicode: Glyphs = {
	ellipsis: '…',
	selected: '›',
	paused: '‖',
	separator: ' · ',
	spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	border: 'round',
	branch: '└ ',
	sortMark: '▾',
	stale: '≈',
};

const ascii: Glyphs = {
	ellipsis: '...',
	selected: '>',
	paused: 'P',
	separator: ' | ',
	spark: ['_', '.', '-', '=', '#'],
	border: 'classic',
	branch: '`-',
	sortMark: '*',
	stale: '~',
};

/** The glyph set for `--ascii` (true) or a UTF-8 terminal (false). */
export function glyphsFor(asciiOnly: boolean): Glyphs {
	return asciiOnly ? ascii : unicode;
}

