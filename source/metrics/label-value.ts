import {sanitize} from '../text/sanitize.js';

/** Longest label value, in characters: a job id from a file can be as long as its manifest. */
export const maxLabelLength = 200;

// A lone surrogate (from a JSON "\ud800") is no character: UTF-8 has no bytes for it.
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string from a job file as a label value: sanitised as on screen (no control, escape, bidi or
 * format characters), whole characters only, and cut in the middle past 200 characters, so ids
 * that share a prefix stay told apart by their ends. prom-client escapes `\`, `"` and newlines.
 */
export function labelValue(text: string): string {
	const clean = sanitize(text).replaceAll(loneSurrogates, '\uFFFD');
	if (clean.length <= maxLabelLength) return clean;
	const characters = Array.from(clean);
	if (characters.length <= maxLabelLength) return clean;
	const half = Math.floor((maxLabelLength - 1) / 2);
	return `${characters.slice(0, half).join('')}\u2026${characters.slice(-(maxLabelLength - 1 - half)).join('')}`;
}
