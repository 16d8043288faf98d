// Repetitions of one step differ mostly in their digits: a timestamp, a counter, a duration. The
// rules (normalise-rules.ts) read a digit's value in two places alone: the `0` of `0x`, and the
// `1[5-9]` that begins an epoch. So a line read with each digit put in its class (a `0` before
// x or X stays `0`, a `1` before 5-9 stays `1` and that digit reads `5`, every other digit
// reads `2`) is matched by every rule at the same places as the line itself: its shape. The
// shape's normalised form is the line's but for the digits that survive in it, which are the
// line's own, from places the shape tells. So a line whose shape was normalised before is hashed
// from the shape's hash, a step a surviving digit (line-hash.ts), after two passes over its
// characters (find the shape, check it), in place of twenty-two searches and the copies they
// make. A shape is kept once seen twice (a line that never repeats its shape costs one pass);
// only ASCII lines without control characters, at most 512 long, are read by shape (the rest
// need sanitising, or would make a shape too large to keep).

import {hashBase, hashText} from './line-hash.js';
import {featuresOf} from './line-features.js';
import {isTried, type Replacing, replaceEach, rules} from './normalise-rules.js';

/** A shape normalised: what it hashes to less its digits' parts, and each surviving digit's place in the line and weight. */
type Shape = {
	readonly lookup: number;
	readonly key: string;
	/** Null when the normalised form is empty; undefined when the shape is left to the rules (too many digits survive). */
	readonly hash: number | null | undefined;
	readonly sources: Uint16Array;
	readonly weights: Int32Array;
};

/**
 * The longest line read by shape, and the most digits a shape keeps places for: a shape takes 1.4 KB
 * at most (measured on Node 20: each of its two typed arrays costs some 200 bytes besides its elements).
 */
const longestLine = 512;
const mostDigits = 64;

/** How many shapes are kept, one a slot: some 650 bytes each for lines like the bench's, 2.8 MB at most. */
const slotBits = 11;
const shapes: Array<Shape | undefined> = Array.from({length: 1 << slotBits});
/** The lookup of the shape last seen in each slot, not yet kept. */
const seen = new Uint32Array(1 << slotBits);

/**
 * What `line`'s shape is looked up by (four characters to a multiply: ASCII takes a byte); -1
 * when it is not read by shape (a character to sanitise, no digit).
 */
function lookupOf(line: string): number {
	if (line.length > longestLine) return -1;
	let hash = line.length;
	let word = 0;
	let digits = false;
	for (let index = 0; index < line.length; index++) {
		let code = line.charCodeAt(index);
		if (code < 0x20 || code >= 0x7f) return -1;
		if (code >= 0x30 && code <= 0x39) {
			code = digitClass(line, index, code);
			digits = true;
		}
		word = (word << 8) | code;
		if ((index & 3) === 3) {
			hash = Math.imul(hash ^ word, 0x01_00_01_93);
			word = 0;
		}
	}
	if (!digits) return -1;
	// A multiply's high bits hold all of its input; the slot is taken from them.
	hash = Math.imul(hash ^ word, 0x01_00_01_93);
	return Math.imul(hash ^ (hash >>> 16), 0x85_eb_ca_6b) >>> 0;
}

/** What the digit `code` at `index` reads as in the shape. */
function digitClass(line: string, index: number, code: number): number {
	if (code === 0x30) return (line.charCodeAt(index + 1) | 0x20) === 0x78 ? 0x30 : 0x32;
	if (code === 0x31) {
		const next = line.charCodeAt(index + 1);
		return next >= 0x35 && next <= 0x39 ? 0x31 : 0x32;
	}
	return code >= 0x35 && line.charCodeAt(index - 1) === 0x31 ? 0x35 : 0x32;
}

function isShapeOf(key: string, line: string): boolean {
	if (key.length !== line.length) return false;
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		const expected = key.charCodeAt(index);
		if (code !== expected && (code < 0x30 || code > 0x39 || digitClass(line, index, code) !== expected)) return false;
	}
	return true;
}

function hashOf(shape: Shape, line: string): number | null | undefined {
	let {hash} = shape;
	if (hash === null || hash === undefined) return hash;
	const {sources, weights} = shape;
	for (let digit = 0; digit < sources.length; digit++) hash = (hash + Math.imul(line.charCodeAt(sources[digit]!), weights[digit]!)) | 0;
	return hash >>> 0;
}

/**
 * hashText of normaliseLine(line) read by its shape, null when that is empty; undefined when the
 * line is not read by shape, or its shape is not yet kept: normalise it then.
 */
export function hashByShape(line: string): number | null | undefined {
	const lookup = lookupOf(line);
	if (lookup === -1) return undefined;
	const slot = lookup >>> (32 - slotBits);
	const shape = shapes[slot];
	// Another shape of the kept one's lookup goes to the rules (seen[slot] still holds that lookup:
	// two such shapes in turn would each be normalised again on every line), and so does every line
	// of a shape left to the rules, unchecked.
	if (shape !== undefined && shape.lookup === lookup) return shape.hash !== undefined && isShapeOf(shape.key, line) ? hashOf(shape, line) : undefined;
	if (seen[slot] !== lookup) {
		seen[slot] = lookup;
		return undefined;
	}
	const kept = normaliseShape(lookup, line);
	shapes[slot] = kept;
	return hashOf(kept, line);
}

function isDigit(text: string, index: number): boolean {
	const code = text.charCodeAt(index);
	return code >= 0x30 && code <= 0x39;
}

/**
 * Where in the line each digit of a text comes from, followed through one rule's replacing: a
 * match's digits survive only in the part its replacement keeps of its start (a port's address,
 * a name before `[pid]:`, a run left as it was). `lost` when a replacement held a digit it did not
 * keep (no rule's does).
 */
class DigitPlaces implements Replacing {
	places: number[] = [];
	lost = false;
	private next: number[] = [];
	private digit = 0;
	private told = false;

	constructor(key: string) {
		for (let index = 0; index < key.length; index++) if (isDigit(key, index)) this.places.push(index);
	}

	kept(text: string, start: number, end: number): void {
		this.told = true;
		for (let index = start; index < end; index++) if (isDigit(text, index)) this.next.push(this.places[this.digit++]!);
	}

	replaced(match: string, replacement: string): void {
		let same = 0;
		while (same < replacement.length && same < match.length && replacement[same] === match[same]) same++;
		for (let index = 0; index < match.length; index++) {
			if (!isDigit(match, index)) continue;
			if (index < same) this.next.push(this.places[this.digit]!);
			this.digit++;
		}
		for (let index = same; index < replacement.length; index++) if (isDigit(replacement, index)) this.lost = true;
	}

	/** After a rule: the places it was told of, if any (it matched), become the text's. */
	settle(): void {
		if (!this.told) return;
		this.told = false;
		this.places = this.next;
		this.next = [];
		this.digit = 0;
	}
}

/**
 * `line`'s shape normalised as normaliseLine does (a shape has nothing to sanitise), each digit's
 * place in the line followed through every rule. Left to the rules when too many digits survive,
 * or a digit's place was lost.
 */
function normaliseShape(lookup: number, line: string): Shape {
	const key = line.replaceAll(/\d/g, (digit, index: number) => String.fromCharCode(digitClass(line, index, digit.charCodeAt(0))));
	const leftToRules = {lookup, key, hash: undefined, sources: new Uint16Array(0), weights: new Int32Array(0)};
	const digits = new DigitPlaces(key);
	const features = featuresOf(key);
	let text = key;
	for (const rule of rules) {
		if (!isTried(rule, features)) continue;
		text = replaceEach(text, rule.pattern, rule.replace, false, digits);
		digits.settle();
	}
	const sources = digits.places;
	// Squeezing and trimming take spaces alone (a shape has no other blank): the digits stay, in order.
	const form = text.replaceAll(/ +/g, ' ').trim();
	if (digits.lost || sources.length > mostDigits) return leftToRules;
	if (form === '') return {...leftToRules, hash: null};
	// The form's hash less each digit's part: a line adds its own digits' parts back.
	const weights = new Int32Array(sources.length);
	let hash = hashText(form, 0, form.length);
	let weight = 1;
	let digit = sources.length;
	for (let index = form.length - 1; index >= 0; index--) {
		if (isDigit(form, index)) {
			weights[--digit] = weight;
			hash = (hash - Math.imul(form.charCodeAt(index), weight)) | 0;
		}
		weight = Math.imul(weight, hashBase);
	}
	return {lookup, key, hash, sources: Uint16Array.from(sources), weights};
}
