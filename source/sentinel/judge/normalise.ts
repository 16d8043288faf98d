import {sanitize} from '../../text/sanitize.js';
import {
	attemptWord,
	blanks,
	dateThenT,
	digit,
	digitColonDigit,
	digitSeparatorDigit,
	digitThenCount,
	digitThenUnit,
	digitThenUnitWord,
	digitThenX,
	featuresOf,
	hexRun,
	longRun,
	monthName,
	ordinal,
	pidWord,
	portWord,
	processWord,
	riesWord,
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

type Pretest = (text: string, features: number) => boolean;

/** A pre-test passed by a line with `feature` (line-features.ts). */
const holds =
	(feature: number): Pretest =>
	(_text, features) =>
		(features & feature) !== 0;

/**
 * Rules in order: a later rule sees the placeholders of the earlier ones, never their digits. The
 * third member of a rule, when there is one, is a pre-test: a cheap test that every line the rule
 * would change passes (a character, a word or a feature its pattern cannot match without, most
 * found by line-features.ts in one pass over the line), so the rule is run only on those lines. A
 * pre-test never changes what a rule does, only whether it is tried; it is given the features of
 * the line as it was before any rule.
 */
const rules: Array<readonly [RegExp, string | ((match: string) => string), Pretest?]> = [
	// UUIDs first: their groups of digits would read as other things.
	[/(?<![\da-z])[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?![\da-z])/gi, '<uuid>', text => atLeast(text, '-', 4)],
	// A port after an address, before a time of day could take its digits: 127.0.0.1:54321,
	// localhost:3000, [::1]:8080, https://api.example.com:8443 (not file.py:12: a test runner's
	// lines stay apart). Each address ends in a dot's part, `]`, `localhost` or a `//` host.
	[/(\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\]|\b[a-z][\w-]*(?:\.[\w-]+)+\.[a-z]{2,}|\/\/[^\s/:]+):\d{1,5}\b/gi, '$1:<port>', text => /[.\]][\w.-]*:\d|localhost:\d|\/\/[^\s/:]+:\d/i.test(text)],
	// ISO 8601 and its relatives: 2025-11-30T13:12:10.165520Z, 2025/11/30 13:12, 20251130T131210Z.
	[/\b\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2})\b)?/g, '<time>', holds(yearThenDash)],
	[/\b\d{8}T\d{6}(?:\.\d+)?Z?\b/g, '<time>', holds(dateThenT)],
	// 30/Nov/2025:13:12:10 +0000 (web servers), Sun Nov 30 2025, Nov 30 (syslog), 11/30/2025.
	[new RegExp(String.raw`\b\d{1,2}/${month}/\d{4}(?::\d{2}:\d{2}:\d{2})?(?: [+-]\d{4})?`, 'g'), '<time>', holds(monthName)],
	[new RegExp(String.raw`\b(?:${weekday} )?${month} +\d{1,2}(?:,? \d{4})?\b`, 'g'), '<time>', holds(monthName)],
	[/\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b/g, '<time>', holds(digitSeparatorDigit)],
	// Times of day and clock-style elapsed times: 13:12:10.165, 01:23, 1:02:03 PM.
	[/\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp][Mm]\b)?/g, '<time>', holds(digitColonDigit)],
	// Epoch seconds or milliseconds (2017 to 2033): 1764504730, 1764504730123, 1764504730.5.
	[/\b1[5-9]\d{8}(?:\d{3})?(?:\.\d+)?\b/g, '<time>', holds(tenDigits)],
	// Hex ids: 0x7ffd5e2a, a git sha, a request id (8 hex digits or more, with a letter in them).
	[/\b0x[\da-f]{4,}\b/gi, '<hex>', holds(digitThenX)],
	[/(?<![\da-z])[\da-f]{8,}(?![\da-z])/gi, match => ((/[a-f]/i.test(match) && /\d/.test(match)) || match.length >= 16 ? '<hex>' : match), holds(hexRun)],
	// Generated ids in other alphabets (toolu_01AbC9xYz..., ULIDs): long runs that switch between
	// upper case, lower case and digits often, which words and numbered names do not.
	[/(?<![A-Za-z\d])[A-Za-z\d]{12,}(?![A-Za-z\d])/g, match => (looksGenerated(match) ? '<id>' : match), holds(longRun)],
	// Rates change while nothing moves (a stalled download's speed): 2.51it/s, 3.2 MB/s.
	[/\b\d+(?:\.\d+)?\s?(?:[kKMGT]i?B|B|bytes|it|items?|lines?|req|tokens?)\/s\b/g, '<rate>', text => text.includes('/s')],
	// Durations and wait times: 250ms, 1.5 s, 3m10s, 2 minutes, 1h2m3s.
	[/\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+\b/g, '<duration>', holds(digitThenUnit)],
	[/\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|msecs?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)\b/gi, '<duration>', holds(digitThenUnitWord)],
	// Retry and attempt counters: retry 3, attempt 2/5, retrying (3 of 10), try #4, 3rd attempt.
	[/(?<![a-z])(retry|retries|retrying|retried|attempts?|tries|try|trial)(?![a-z])([^\d\n]{0,12}?)\d+(?:\s*(?:\/|of)\s*\d+)?/gi, '$1$2<n>', holds(attemptWord | trWord)],
	[/\b\d+(?:st|nd|rd|th)\s+(attempt|try|retry)\b/gi, '<n> $1', (_text, features) => (features & ordinal) !== 0 && (features & (attemptWord | tryWord)) !== 0],
	[/\b(\d+)(\s+(?:attempts?|retries|tries)\b)/gi, '<n>$2', (_text, features) => (features & digitThenCount) !== 0 && (features & (attemptWord | riesWord)) !== 0],
	// pids and ports: pid 4242, process id: 4242, sshd[4242]:, port 8080.
	[/\b(pid|ppid|tid)(\s*[:=#]?\s*)\d+/gi, '$1$2<pid>', holds(pidWord)],
	[/\b(process|thread)(\s*(?:id\s*)?[:=#]\s*)\d+/gi, '$1$2<pid>', holds(processWord)],
	[/\b([A-Za-z][\w.-]*)\[\d+\]:/g, '$1[<pid>]:', text => text.includes(']:')],
	[/\b(port)(\s*[:=#]?\s*)\d+/gi, '$1$2<port>', holds(portWord)],
];

/** Whether `text` holds `char` at least `count` times. */
function atLeast(text: string, char: string, count: number): boolean {
	for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) if (--count === 0) return true;
	return false;
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

/**
 * A line of a job's output as every repetition of the same step would write it: escape sequences
 * and control characters removed, timestamps, UUIDs and long ids, durations, retry counters, pids
 * and ports replaced by placeholders, and blanks squeezed. Empty when nothing is left.
 */
export function normaliseLine(line: string): string {
	let text = sanitize(line);
	const features = featuresOf(text);
	// Every rule needs a digit to match: most lines of prose skip them all.
	if ((features & digit) !== 0) {
		for (const [pattern, replacement, pretest] of rules) if (!pretest || pretest(text, features)) text = text.replace(pattern, replacement as string);
	}
	// Blanks are squeezed only where there are some to squeeze: most lines have single spaces alone.
	return (features & blanks) === 0 ? text.trim() : text.replaceAll(/\s+/g, ' ').trim();
}
