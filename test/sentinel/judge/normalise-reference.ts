// The normaliser as it was before its rules were given pre-tests (2026-12-05), verbatim: the
// reference that normalise-equivalence.test.ts holds the current one to, line for line.
import {sanitize} from '../../../source/text/sanitize.js';

// What changes on every repetition of one step (SPEC section 11), each replaced by a placeholder
// so two repetitions read the same. Numbers that no rule names (a percentage, N/M, bytes or items
// done) are kept as they are: progress that moved forward makes a line new.

const month = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?`;
const weekday = String.raw`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?`;

/** Rules in order: a later rule sees the placeholders of the earlier ones, never their digits. */
const rules: Array<readonly [RegExp, string | ((match: string) => string)]> = [
	// UUIDs first: their groups of digits would read as other things.
	[/(?<![\da-z])[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}(?![\da-z])/gi, '<uuid>'],
	// A port after an address, before a time of day could take its digits: 127.0.0.1:54321,
	// localhost:3000, [::1]:8080, https://api.example.com:8443 (not file.py:12: a test runner's
	// lines stay apart).
	[/(\b\d{1,3}(?:\.\d{1,3}){3}|\blocalhost|\]|\b[a-z][\w-]*(?:\.[\w-]+)+\.[a-z]{2,}|\/\/[^\s/:]+):\d{1,5}\b/gi, '$1:<port>'],
	// ISO 8601 and its relatives: 2025-11-30T13:12:10.165520Z, 2025/11/30 13:12, 20251130T131210Z.
	[/\b\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2})\b)?/g, '<time>'],
	[/\b\d{8}T\d{6}(?:\.\d+)?Z?\b/g, '<time>'],
	// 30/Nov/2025:13:12:10 +0000 (web servers), Sun Nov 30 2025, Nov 30 (syslog), 11/30/2025.
	[new RegExp(String.raw`\b\d{1,2}/${month}/\d{4}(?::\d{2}:\d{2}:\d{2})?(?: [+-]\d{4})?`, 'g'), '<time>'],
	[new RegExp(String.raw`\b(?:${weekday} )?${month} +\d{1,2}(?:,? \d{4})?\b`, 'g'), '<time>'],
	[/\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b/g, '<time>'],
	// Times of day and clock-style elapsed times: 13:12:10.165, 01:23, 1:02:03 PM.
	[/\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s?[AaPp][Mm]\b)?/g, '<time>'],
	// Epoch seconds or milliseconds (2017 to 2033): 1764504730, 1764504730123, 1764504730.5.
	[/\b1[5-9]\d{8}(?:\d{3})?(?:\.\d+)?\b/g, '<time>'],
	// Hex ids: 0x7ffd5e2a, a git sha, a request id (8 hex digits or more, with a letter in them).
	[/\b0x[\da-f]{4,}\b/gi, '<hex>'],
	[/(?<![\da-z])[\da-f]{8,}(?![\da-z])/gi, match => (/[a-f]/i.test(match) && /\d/.test(match)) || match.length >= 16 ? '<hex>' : match],
	// Generated ids in other alphabets (toolu_01AbC9xYz..., ULIDs): long runs that switch between
	// upper case, lower case and digits often, which words and numbered names do not.
	[/(?<![A-Za-z\d])[A-Za-z\d]{12,}(?![A-Za-z\d])/g, match => (looksGenerated(match) ? '<id>' : match)],
	// Rates change while nothing moves (a stalled download's speed): 2.51it/s, 3.2 MB/s.
	[/\b\d+(?:\.\d+)?\s?(?:[kKMGT]i?B|B|bytes|it|items?|lines?|req|tokens?)\/s\b/g, '<rate>'],
	// Durations and wait times: 250ms, 1.5 s, 3m10s, 2 minutes, 1h2m3s.
	[/\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+\b/g, '<duration>'],
	[/\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|msecs?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)\b/gi, '<duration>'],
	// Retry and attempt counters: retry 3, attempt 2/5, retrying (3 of 10), try #4, 3rd attempt.
	[/(?<![a-z])(retry|retries|retrying|retried|attempts?|tries|try|trial)(?![a-z])([^\d\n]{0,12}?)\d+(?:\s*(?:\/|of)\s*\d+)?/gi, '$1$2<n>'],
	[/\b\d+(?:st|nd|rd|th)\s+(attempt|try|retry)\b/gi, '<n> $1'],
	[/\b(\d+)(\s+(?:attempts?|retries|tries)\b)/gi, '<n>$2'],
	// pids and ports: pid 4242, process id: 4242, sshd[4242]:, port 8080.
	[/\b(pid|ppid|tid)(\s*[:=#]?\s*)\d+/gi, '$1$2<pid>'],
	[/\b(process|thread)(\s*(?:id\s*)?[:=#]\s*)\d+/gi, '$1$2<pid>'],
	[/\b([A-Za-z][\w.-]*)\[\d+\]:/g, '$1[<pid>]:'],
	[/\b(port)(\s*[:=#]?\s*)\d+/gi, '$1$2<port>'],
];

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
export function referenceNormaliseLine(line: string): string {
	let text = sanitize(line);
	// Every rule needs a digit to match: most lines of prose skip them all.
	if (/\d/.test(text)) for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement as string);
	return text.replaceAll(/\s+/g, ' ').trim();
}
