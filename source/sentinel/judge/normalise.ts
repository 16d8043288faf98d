import {sanitize} from '../../text/sanitize.js';
import {hashText} from './line-hash.js';
import {hashByShape} from './line-shapes.js';
import {blanks, digit, featuresOf, featuresTwice, tabs, unsafe} from './line-features.js';
import {isTried, replaceEach, rules} from './normalise-rules.js';

/** The features (line-features.ts) of the line withPlaceholders read last: handed on beside its text without an object a line. */
let featuresRead = 0;

const anyDigit = /\d/;

/** Blanks that squeezing would change: one other than a space, or two in a row. */
const blanksToSqueeze = /[^\S ]|\s\s/;

/** `line` sanitised, each rule's matches replaced by its placeholder; its features left in featuresRead. */
function withPlaceholders(line: string): string {
	// Every rule needs a digit to match (sanitising takes digits away, never adds one): most lines
	// of prose skip the rules, and the scan for features, for three of V8's own searches.
	if (!anyDigit.test(line)) {
		const text = sanitize(line);
		featuresRead = blanksToSqueeze.test(text) ? blanks : 0;
		return text;
	}
	let text = line;
	let features = featuresOf(text);
	let twice = featuresTwice;
	// Most lines are plain ASCII: sanitize is asked only about the others, and about controls.
	if ((features & (unsafe | tabs)) !== 0) {
		text = sanitize(line);
		if ((features & unsafe) !== 0 && text !== line) {
			features = featuresOf(text);
			twice = featuresTwice;
		}
	}
	featuresRead = features;
	if ((features & digit) === 0) return text;
	for (const rule of rules) {
		if (!isTried(rule, features)) continue;
		// One of its features, at one place: one match at most.
		const held = features & rule.any;
		const once = (twice & rule.any) === 0 && (held & (held - 1)) === 0;
		text = replaceEach(text, rule.pattern, rule.replace, once);
	}
	return text;
}

/**
 * A line of a job's output as every repetition of the same step would write it: escape sequences
 * and control characters removed, timestamps, UUIDs and long ids, durations, retry counters, pids
 * and ports replaced by placeholders, and blanks squeezed. Empty when nothing is left.
 */
export function normaliseLine(line: string): string {
	const text = withPlaceholders(line);
	// Blanks are squeezed only where there are some to squeeze: most lines have single spaces alone.
	return (featuresRead & blanks) === 0 ? text.trim() : text.replaceAll(/\s+/g, ' ').trim();
}

/**
 * hashText of normaliseLine(line), null when that is empty: from the line's shape when one like it
 * was normalised before (line-shapes.ts). A line with no blanks to squeeze has no blank but
 * single spaces: hashed from its first to its last character that is not a space, without the
 * trimmed copy.
 */
export function normalisedHash(line: string): number | null {
	const shaped = hashByShape(line);
	if (shaped !== undefined) return shaped;
	const text = withPlaceholders(line);
	if ((featuresRead & blanks) !== 0) {
		const normalised = text.replaceAll(/\s+/g, ' ').trim();
		return normalised === '' ? null : hashText(normalised, 0, normalised.length);
	}
	let start = 0;
	let end = text.length;
	while (start < end && text.charCodeAt(start) === 0x20) start++;
	while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
	return start === end ? null : hashText(text, start, end);
}
