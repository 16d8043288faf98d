// The lines the normaliser is held to its reference by: every line of the files that show output,
// lines on the edge of each rule, and random mixes of their words (normalise-equivalence.test.ts,
// line-shapes.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Every line of every string literal (no interpolation) and table cell of `files`, under the project root. */
function linesOf(files: string[]): string[] {
	const lines: string[] = [];
	for (const file of files) {
		const text = fs.readFileSync(path.join(root, file), 'utf8');
		for (const match of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`$]*)`/g)) {
			const literal = (match[1] ?? match[2] ?? match[3] ?? '').replaceAll(/\\n/g, '\n').replaceAll(/\\(.)/g, '$1');
			lines.push(...literal.split('\n'));
		}
		for (const row of text.split('\n')) lines.push(row, ...row.split('|'));
	}
	return lines.filter(line => line.trim() !== '');
}

/** Files whose strings are output lines: the tests and examples of normalising, the demo's jobs, the benchmarks' writers. */
function corpusFiles(): string[] {
	const demo = path.join('source', 'commands', 'demo');
	const demoFiles = fs.readdirSync(path.join(root, demo), {recursive: true, encoding: 'utf8'}).filter(name => name.endsWith('.ts')).map(name => path.join(demo, name));
	return ['test/sentinel/judge/normalise.test.ts', 'test/sentinel/judge/progress.test.ts', 'test/sentinel/observe/output-follower.test.ts', 'readme.md', 'docs/progress.md', 'bench/detection.js', 'bench/output-cost.js', ...demoFiles].filter(file => fs.existsSync(path.join(root, file)));
}

/** Lines made to sit on the edge of each rule's pre-test: each rule's pattern met, nearly met, and in other cases. */
const edges = [
	'connected to 127.0.0.1:54321 after 3 tries',
	'listening on localhost:3000, LOCALHOST:3001 and [::1]:8080',
	'listening on LocalHost:3000',
	'GET https://api.example.com:8443/v1 took 12ms',
	'GET //host:80/x and //host:x and file.py:12: failed',
	'at foo.bar.js:12:5 and node:internal/modules:45',
	'0.0.0.0:8080 10.1.2.3 : 99 a.b:1 x.y.zz:77',
	'request 550E8400-E29B-41D4-A716-446655440000 done - a - b - c',
	'ids 0X7FFD5E2A 0x12 deadbeef DEADBEEF0 1234567890abcdef 12345678 abcdefab',
	'tokens toolu_01AbC9xYzQ7pLm3N 01ARZ3NDEKTSV4RRFFQ69G5FAV abcdefghijkl1 ABCDEFGHIJ12',
	'sha 3f2c1a9 and 3f2c1a9e and 3f2c1a9e7b and _3f2c1a9e7b_',
	'speed 2.51it/s 3.2 MB/s 10 req/s 5 tokens/s 7 lines/sec',
	'Retry 3, RETRYING (3 of 10), retried 2 times, try #4, trial 9, attempts: 5, 3rd attempt, 2nd try, 4th retry',
	'5 retries, 3 tries, 2 attempts, 1 attempt, entries 5, countries 3, entry 7',
	'PID 4242 ppid=1 tid#7 rapid 9 stupid 3, process id: 4242, Thread: 7, processed 35',
	'sshd[4242]: accepted; arr[3] = 1; a[12]:b; x.y-z[99]:',
	'port 8080 Port=80 PORT:443 export 3 support 12 report 5',
	'2025-11-30T13:12:10.165520Z 2025/11/30 13:12 20251130T131210Z 30/Nov/2025:13:12:10 +0000',
	'Sun Nov 30 2025 Nov 30 11/30/2025 1:02:03 PM 01:23 1764504730 1764504730123 1764504730.5',
	'250ms 1.5 s 3m10s 2 minutes 1h2m3s 5 days 10 µs 3 msecs',
	'step 5 of 10: 45% 1/3 done, 12 items, 3 GB',
	'\u001b[32mok\u001b[0m 12 \r progress 3/4',
	'ſ 0x1 K12345678901234 é1234567 日本12',
	// The features the pre-tests read (line-features.ts): each met in either case, and past ASCII.
	'1ST attempt 2Nd TRY 3RD retry 4TH attempt 5th  try 6 th attempt',
	'5NS 5 Ns 5US 5 Hours 3 Days 2 MINUTES 10µS 10Μs 10μs 7 µS 8 Μs 9\u00a0ms 4\u2003SECS',
	'3\u00a0attempts 3\u2003Retries 3  TRIES 3\u00a0\u00a0tries 12ATTEMPTS',
	'Sep 30 Jan 2 2025 Jun 5 Jul 4 Feb 28 Mar 1 Apr 9 May 3 Aug 8 Oct 31 Nov 1 Dec 25 30/Sep/2025 SEP 30 sep 30',
	'0X1F2E 10x1234 0xg 0x12345 PID 7 TID 8 Pid: 9 PROCESS: 4 THREAD=5 PORT 80 Port:81',
	'20251130T131210 2025113T131210 20251130t131210 1234-56-78 123-45-67 2025/1/30 12025-11-30',
	'1.2.2025 1/2/2025 12.31.2025 1..2 1:02 1: 02 12:3 x:12 1764504730 176450473 2764504730',
	'a  b\u00a0c \u2003 d 12 e  13',
	'one\u00a0blank 12',
	'1us2us 1ns2ns 1s2s 1h2h 1m2m 1µs2µs',
	'process 12 processed 3 processID: 4 process  id = 5 process\u00a0#6 thread id 7 THREAD ID:8 process idx: 9 threads: 3 thread:# 4',
	'1sT attempt 2Nd try 5ts attempt 6dn try 7s attempt 8nd\u00a0retry 21 st attempt 3rdattempt 4th\tretry',
	// Words looked for only where one begins, the port rule's address, and the lines sanitised or not.
	'ppid 5 PPID=6 xpid 7 _pid 8 1pid 9 a-pid 3 tid:4 stid 5 Ppid:7 pPid 8',
	'retrying 3 RETRIED 4 reTries 5 Trial 6 xretry 7 _try 8 1try 9 entry 2 tries: 3 retrial 4 1st retry 2 retries 3 TRIES',
	'a_b.c-d:80 x._:6 _.y:7 a]:3 ]x:4 a].b:5 a.b c:6 a.b/c:7 a.b:c:8 v1.2.3:9 ab.cd.ef:10',
	'//h x:80 //a/b:80 ///a:81 //a:b:82 //\u00a0a:83 //a\tb:84 //\u00e9:85 http://[::1]:86 //:87 / /a:88',
	'LOCALHOST:1 xlocalhost:2 local host:3 localhos:4 Localhost:5 localhost :6 [localhost]:7',
	'12 ab-cd-ef-gh 1-2-3-4 ---- a-b-c 550e8400-e29b-41d4-a716-446655440000',
	'5 MB/s 5 MB/S 5/s 1/sec x]:1 y] :2 sshd[12]: a[1]:',
	'\u001b[31m12\u001b[0m attempt 3 \u0007 4 port\u001b[0m 80 pid\u000b7',
	'tab\t12\tattempt\t3\r\nretry 4\tpid\t5 2\tminutes',
	'took 3\u000bs',
	'took 3\u000cs',
	'took 3\u0000s',
	'took 3\u007fs',
	'took 3\u001b[0ms',
	// Surrogate pairs and lone halves, digits past ASCII (no rule's \d matches them), a line at the 4,096-byte limit.
	'\u{1F600}12 attempt 3 \ud83d 4ms \ude00 port 5 \u{1F600}',
	'\u0661\u0662 attempts \u0663 retry \u0664 ms 5 \u0661\u0662:\u0663\u0660 \uff11\uff12:30',
	'step 12 of 40 took 250ms, retry 3 at 13:12:10 pid 42 '.repeat(80).slice(0, 4096),
	'1.2.2025 12/31/2025 1.123.2025 123.1.2025 1/2.3 1/22/3 1/222/3 4.5 6/7 8..9/1 2//3/4 5/6/ 7/8/x 9.10.11',
	// No digit: sanitised and squeezed only.
	'one\u00a0blank, and\u2003another', 'two  spaces', 'a\u001b[0m\u200bb  c\td', 'é and ü',
	'12 \u00e9 2 minutes \u200b3 attempts \u202e4 port 5',
	// The digits a shape (line-shapes.ts) keeps apart, next to the matches that end before a digit or an x.
	'at 1764504730 11764504730 1164504730 0x1764504730 115 1x 0x 0X12ab 10x1f2e 00x1234 0xx 1:59 15:15:15.1515 12:3415 12:30x',
	' 1 5  15 51 115 0 7 ',
	// At the limits of a shape: 512 and 513 long, 64 and 65 digits that survive.
	'step 12 of 40 took 250ms '.repeat(21).slice(0, 512),
	'step 12 of 40 took 250ms '.repeat(21).slice(0, 513),
	Array.from({length: 64}, (_, index) => `${(index * 7) % 10}`).join(' '),
	Array.from({length: 65}, (_, index) => `${(index * 3) % 10}%`).join(' '),
];

/** A line of random pieces of others: words and numbers meeting in ways no example shows. */
function mixed(pieces: string[], seed: number): string[] {
	let state = seed;
	const next = (limit: number) => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return (state >>> 8) % limit;
	};
	const separators = [' ', '', ':', '-', '/', '.', '[', ']', ' ', '=', '_', '#', ', '];
	return Array.from({length: 20_000}, () => Array.from({length: 1 + next(8)}, () => pieces[next(pieces.length)]! + separators[next(separators.length)]!).join(''));
}

/** The corpus: every line of the files, the edge lines, and 40,000 random mixes of their words. */
export function corpus(): string[] {
	const lines = [...linesOf(corpusFiles()), ...edges];
	expect(lines.length).toBeGreaterThan(1000);
	const pieces = [...new Set(lines.flatMap(line => line.split(/\s+/)).filter(Boolean))];
	return [...lines, ...mixed(pieces, 1), ...mixed(edges.flatMap(line => line.split(/\s+/)), 2)];
}
