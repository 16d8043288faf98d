import stringWidth from 'string-width';

// Characters that always take one column and never join others: printable ASCII, Latin-1 (soft
// hyphen left out), general punctuation (no zero-width or direction marks), arrows, box drawing,
// block elements (sparklines) and the small triangles. A test checks each against string-width.
const narrow = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f\u25b2-\u25bf]*$/;

/**
 * Terminal columns `text` takes, escape sequences excluded. Text made only of one-column
 * characters (nearly every frame) skips string-width's grapheme segmentation.
 */
export function textWidth(text: string): number {
	return narrow.test(text) ? text.length : stringWidth(text);
}

/** Whether every character of `text` takes exactly one column (so columns are code units). */
export function isNarrow(text: string): boolean {
	return narrow.test(text);
}
