import {sanitize} from '../../text/sanitize.js';
import {hashText} from './line-hash.js';
import {hashByShape} from './line-shapes.js';
import {blanks, digit, featuresOf, featuresTwice, tabs, unsafe} from './line-features.js';
import {type Rule, rules} from './normalise-rules.js';

/**
 * `text` with every match of `pattern` replaced, as String.prototype.replace would (no rule's
 * pattern matches an empty string), but through exec: V8 runs a replace with `$1` in its
 * replacement, or with no match at all, through a slower path (300 against 130 ns, the retry
 * rule); `once` when the line can hold one match at most (line-features.ts's featuresTwice).
 * Joined, not added up: `+` makes a rope that the next rule's search and the hash would
 * each have to flatten first.
 */
function replaceEach(text: string, pattern: RegExp, replace: Rule['replace'], once: boolean): string {
	pattern.lastIndex = 0;
	let match = pattern.exec(text);
	if (match === null) return text;
	const parts: string[] = [];
	let from = 0;
	do {
		parts.push(text.slice(from, match.index), typeof replace === 'string' ? replace : replace(match));
		from = pattern.lastIndex;
		match = once ? null : pattern.exec(text);
	} while (match !== null);
	parts.push(text.slice(from));
	return parts.join('');
}

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
		const held = features & rule.any;
		if (held === 0 || (features & (rule.all ?? 0)) !== (rule.all ?? 0)) continue;
		// One of its features, at one place: one match at most.
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
