import {
	addressPort,
	attemptWord,
	bracketColon,
	dateThenT,
	digitColonDigit,
	digitSeparatorDigit,
	digitThenCount,
	digitThenUnit,
	digitThenUnitWord,
	digitThenX,
	fourDashes,
	hexRun,
	longRun,
	monthName,
	ordinal,
	pidWord,
	portWord,
	processWord,
	riesWord,
	slashS,
	tenDigits,
	trWord,
	tryWord,
	yearThenDash,
} from './line-features.js';

// What changes on every repetition of one step (SPEC section 11), each replaced by a placeholder
// so two repetitions read the same. Numbers that no rule names (a percentage, N/M, bytes or items
// done) are kept as they are: progress that moved forward makes a line new.

const month = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?`;
const weekday = String.raw`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?`;

/**
 * A rule: a pattern (global), what each match becomes, and its pre-test: the rule is tried only on
 * a line with one of the features `any` and all of `all` (line-features.ts), features its pattern
 * cannot match without. A pre-test never changes what a rule does, only whether it is tried; it is
 * given the features of the line as it was before any rule.
 */
export type Rule = {
	readonly pattern: RegExp;
	readonly replace: string | ((match: RegExpExecArray) => string);
	readonly any: number;
	readonly all?: number;
};

/** Rules in order: a later rule sees the placeholders of the earlier ones, never their digits. */
export const rules: readonly Rule[] = [
	// UUIDs first: their groups of digits would read as other things.
	{pattern: /(?<![\da-z])[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?![\da-z])/gi, replace: '<uuid>', any: fourDashes},
	// A port after an address, before a time of day could take its digits: 127.0.0.1:54321,
	// localhost:3000, [::1]:8080, https://api.example.com:8443 (not file.py:12: a test runner's
	// lines stay apart). Each address ends in a dot's part, `]`, `localhost` or a `//` host.
	{pattern: /(\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\]|\b[a-z][\w-]*(?:\.[\w-]+)+\.[a-z]{2,}|\/\/[^\s/:]+):\d{1,5}\b/gi, replace: match => match[1] + ':<port>', any: addressPort},
	// ISO 8601 and its relatives: 2025-11-30T13:12:10.165520Z, 2025/11/30 13:12, 20251130T131210Z.
	{pattern: /\b\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2})\b)?/g, replace: '<time>', any: yearThenDash},
	{pattern: /\b\d{8}T\d{6}(?:\.\d+)?Z?\b/g, replace: '<time>', any: dateThenT},
	// 30/Nov/2025:13:12:10 +0000 (web servers), Sun Nov 30 2025, Nov 30 (syslog), 11/30/2025.
	{pattern: new RegExp(String.raw`\b\d{1,2}/${month}/\d{4}(?::\d{2}:\d{2}:\d{2})?(?: [+-]\d{4})?`, 'g'), replace: '<time>', any: monthName},
	{pattern: new RegExp(String.raw`\b(?:${weekday} )?${month} +\d{1,2}(?:,? \d{4})?\b`, 'g'), replace: '<time>', any: monthName},
	{pattern: /\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b/g, replace: '<time>', any: digitSeparatorDigit},
	// Times of day and clock-style elapsed times: 13:12:10.165, 01:23, 1:02:03 PM.
	{pattern: /\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp][Mm]\b)?/g, replace: '<time>', any: digitColonDigit},
	// Epoch seconds or milliseconds (2017 to 2033): 1764504730, 1764504730123, 1764504730.5.
	{pattern: /\b1[5-9]\d{8}(?:\d{3})?(?:\.\d+)?\b/g, replace: '<time>', any: tenDigits},
	// Hex ids: 0x7ffd5e2a, a git sha, a request id (8 hex digits or more, with a letter in them).
	{pattern: /\b0x[\da-f]{4,}\b/gi, replace: '<hex>', any: digitThenX},
	{pattern: /(?<![\da-z])[\da-f]{8,}(?![\da-z])/gi, replace: ([run]) => ((/[a-f]/i.test(run) && /\d/.test(run)) || run.length >= 16 ? '<hex>' : run), any: hexRun},
	// Generated ids in other alphabets (toolu_01AbC9xYz..., ULIDs): long runs that switch between
	// upper case, lower case and digits often, which words and numbered names do not.
	{pattern: /(?<![A-Za-z\d])[A-Za-z\d]{12,}(?![A-Za-z\d])/g, replace: ([run]) => (looksGenerated(run) ? '<id>' : run), any: longRun},
	// Rates change while nothing moves (a stalled download's speed): 2.51it/s, 3.2 MB/s.
	{pattern: /\b\d+(?:\.\d+)?\s?(?:[kKMGT]i?B|B|bytes|it|items?|lines?|req|tokens?)\/s\b/g, replace: '<rate>', any: slashS},
	// Durations and wait times: 250ms, 1.5 s, 3m10s, 2 minutes, 1h2m3s.
	{pattern: /\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+\b/g, replace: '<duration>', any: digitThenUnit},
	{pattern: /\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|msecs?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)\b/gi, replace: '<duration>', any: digitThenUnitWord},
	// Retry and attempt counters: retry 3, attempt 2/5, retrying (3 of 10), try #4, 3rd attempt.
	{pattern: /(?<![a-z])(retry|retries|retrying|retried|attempts?|tries|try|trial)(?![a-z])([^\d\n]{0,12}?)\d+(?:\s*(?:\/|of)\s*\d+)?/gi, replace: ([, word, between]) => `${word}${between}<n>`, any: attemptWord | trWord},
	{pattern: /\b\d+(?:st|nd|rd|th)\s+(attempt|try|retry)\b/gi, replace: ([, word]) => `<n> ${word}`, any: attemptWord | tryWord, all: ordinal},
	{pattern: /\b(\d+)(\s+(?:attempts?|retries|tries)\b)/gi, replace: ([, , words]) => `<n>${words}`, any: attemptWord | riesWord, all: digitThenCount},
	// pids and ports: pid 4242, process id: 4242, sshd[4242]:, port 8080.
	{pattern: /\b(pid|ppid|tid)(\s*[:=#]?\s*)\d+/gi, replace: ([, word, between]) => `${word}${between}<pid>`, any: pidWord},
	{pattern: /\b(process|thread)(\s*(?:id\s*)?[:=#]\s*)\d+/gi, replace: ([, word, between]) => `${word}${between}<pid>`, any: processWord},
	{pattern: /\b([A-Za-z][\w.-]*)\[\d+\]:/g, replace: ([, name]) => `${name}[<pid>]:`, any: bracketColon},
	{pattern: /\b(port)(\s*[:=#]?\s*)\d+/gi, replace: ([, word, between]) => `${word}${between}<port>`, any: portWord},
];

/** Whether `rule` is tried on a line of `features`: it holds one of the rule's `any` and all of its `all`. */
export function isTried(rule: Rule, features: number): boolean {
	const all = rule.all ?? 0;
	return (features & rule.any) !== 0 && (features & all) === all;
}

/** What a rule's replacing tells, piece by piece: text kept as it was, and each match with what took its place. */
export type Replacing = {
	kept(text: string, start: number, end: number): void;
	replaced(match: string, replacement: string): void;
};

/**
 * `text` with every match of `pattern` replaced, as String.prototype.replace would (no rule's
 * pattern matches an empty string), but through exec: V8 runs a replace with `$1` in its
 * replacement, or with no match at all, through a slower path (300 against 130 ns, the retry
 * rule); `once` when the line can hold one match at most (line-features.ts's featuresTwice).
 * Joined, not added up: `+` makes a rope that the next rule's search and the hash would
 * each have to flatten first. `watch`, when given, is told every piece (not when nothing matched).
 */
export function replaceEach(text: string, pattern: RegExp, replace: Rule['replace'], once: boolean, watch?: Replacing): string {
	pattern.lastIndex = 0;
	let match = pattern.exec(text);
	if (match === null) return text;
	const parts: string[] = [];
	let from = 0;
	do {
		const replacement = typeof replace === 'string' ? replace : replace(match);
		if (watch) {
			watch.kept(text, from, match.index);
			watch.replaced(match[0], replacement);
		}
		parts.push(text.slice(from, match.index), replacement);
		from = pattern.lastIndex;
		match = once ? null : pattern.exec(text);
	} while (match !== null);
	watch?.kept(text, from, text.length);
	parts.push(text.slice(from));
	return parts.join('');
}

/**
 * A run of letters and digits that reads as generated: long (words and numbered names seldom pass
 * 20 characters without a separator), or switching between upper case, lower case and digits on
 * at least a quarter of its length.
 */
function looksGenerated(run: string): boolean {
	let changes = 0;
	let previous = -1;
	let digits = 0;
	for (let index = 0; index < run.length; index++) {
		const code = run.charCodeAt(index);
		const kind = code <= 57 ? 0 : code <= 90 ? 1 : 2;
		if (kind === 0) digits++;
		if (previous !== -1 && kind !== previous) changes++;
		previous = kind;
	}
	if (digits < 2 || digits === run.length) return false;
	return run.length >= 20 || (changes >= 4 && changes * 4 >= run.length);
}
