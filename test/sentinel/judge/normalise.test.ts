import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normaliseLine} from '../../../source/sentinel/judge/normalise.js';

/** Lines that must read the same after normalising: two repetitions of one step. */
function same(first: string, second: string): void {
	expect(normaliseLine(first), `${first}\n${second}`).toBe(normaliseLine(second));
}

/** Lines that must stay apart: real progress, or another step. */
function apart(first: string, second: string): void {
	expect(normaliseLine(first), `${first}\n${second}`).not.toBe(normaliseLine(second));
}

describe('normaliseLine: what changes on every repetition of a step', () => {
	it('drops escape sequences and control characters, and squeezes blanks', () => {
		same('\u001B[32mPASS\u001B[0m  login\t test', 'PASS login test');
		same('\u001B]0;title\u0007working\u0000', 'working');
		same('  step\u200B done  ', 'step done');
		expect(normaliseLine('\u001B[2K\u001B[1G')).toBe('');
	});

	it('replaces timestamps: ISO 8601, syslog, web server, clock times and epoch stamps', () => {
		same('2025-11-30T13:12:10.165520Z calling the model', '2025-12-01T08:00:59.000001+02:00 calling the model');
		same('[2025-11-30 13:12:10,123] WARN slow', '[2025-11-30 13:12:41,987] WARN slow');
		same('20251130T131210Z sync', '20251201T000000Z sync');
		same('Nov 30 13:12:10 host app: tick', 'Dec  1 00:00:01 host app: tick');
		same('10.0.0.1 - - [30/Nov/2025:13:12:10 +0000] "GET /"', '10.0.0.1 - - [01/Dec/2025:00:00:01 +0000] "GET /"');
		same('at 13:12:10 PM polling', 'at 1:02:03 AM polling');
		same('ts=1764504730 poll', 'ts=1764504791 poll');
		same('ts=1764504730123 poll', 'ts=1764504791999 poll');
		same('30.11.2025 saving', '01.12.2025 saving');
	});

	it('replaces UUIDs, long hex ids and generated ids', () => {
		same('request 9f1c2e4a-1b2c-4d5e-8f90-0a1b2c3d4e5f failed', 'request 00000000-aaaa-4bbb-8ccc-123456789abc failed');
		same('commit 3f2a9c1e7b pushed', 'commit 9b8e7d6c5a4f3e2d1c0b pushed');
		same('trace 0x7ffd5e2a', 'trace 0x55d1c0de9f00');
		same('calling tool read_file (id toolu_01AbC9xYzQ7pLm3N)', 'calling tool read_file (id toolu_01QrT8vWx2KmN5pZ)');
		same('ulid 01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ulid 01BX5ZZKBKACTAV9WEVGEMMVRZ');
		same('request req_abc12345def0 ok', 'request req_99ffee1100aa ok');
		same('id 12345678901234567 sent', 'id 98765432109876543 sent');
	});

	it('replaces durations and wait times', () => {
		same('took 250ms', 'took 1523ms');
		same('retrying in 12.5 seconds', 'retrying in 30 seconds');
		same('took 3m10s', 'took 1h2m3s');
		same('waited 2 minutes', 'waited 15 mins');
		same('elapsed 00:01:23', 'elapsed 00:04:56');
		same('backing off 1.5s', 'backing off 750ms');
	});

	it('replaces retry and attempt counters, N/M after the word included', () => {
		same('Rate limited (429). Retrying in 12.5 seconds (attempt 3/10)', 'Rate limited (429). Retrying in 30 seconds (attempt 4/10)');
		same('attempt 2 of 5 failed', 'attempt 5 of 5 failed');
		same('retry #3', 'retry #14');
		same('3rd attempt failed, 2 retries left', '4th attempt failed, 1 retries left');
		same('retry_count=3', 'retry_count=4');
	});

	it('replaces pids and ports', () => {
		same('worker pid 4242 started', 'worker pid 977 started');
		same('pid=4242', 'pid=1');
		same('process id: 4242', 'process id: 31337');
		same('sshd[1234]: connection closed', 'sshd[99]: connection closed');
		same('listening on port 8080', 'listening on port 51234');
		same('connect 127.0.0.1:54321 refused', 'connect 127.0.0.1:40001 refused');
		same('connect localhost:3000', 'connect localhost:3001');
		same('GET https://api.example.com:8443/v1 503', 'GET https://api.example.com:9443/v1 503');
		same('dial [::1]:8080', 'dial [::1]:9090');
	});

	it('replaces rates, which move while nothing is done', () => {
		same('downloading 2.51MB/s', 'downloading 0.3 MB/s');
		same('45/100 [00:12<00:30, 2.51it/s]', '45/100 [00:14<00:31, 1.2it/s]');
	});

	it('keeps progress: a percentage, N/M, bytes or items done that moved on keep the line new', () => {
		apart('Downloading 45%', 'Downloading 46%');
		apart('epoch 3/10', 'epoch 4/10');
		apart('[########  ] 45/100', '[#########  ] 46/100');
		apart('received 12.3 MB', 'received 12.4 MB');
		apart('processed 120 files', 'processed 121 files');
		apart('wrote 1048576 bytes', 'wrote 2097152 bytes');
		apart('step 41: compile', 'step 42: compile');
		apart('checkpoint000123 saved', 'checkpoint000124 saved');
		// A test runner's lines name different tests, not ports.
		apart('PASS test_a.py:12 test_login', 'PASS test_a.py:30 test_logout');
	});

	it('keeps other steps apart', () => {
		apart('calling tool read_file', 'calling tool write_file');
		apart('GET /api/users 429', 'GET /api/users 200');
	});
});

describe('normaliseLine, for any line', () => {
	const anyLine = fc.string({unit: 'binary', maxLength: 200});

	it('is idempotent: a normalised line normalises to itself', () => {
		fc.assert(fc.property(anyLine, line => normaliseLine(normaliseLine(line)) === normaliseLine(line)), {numRuns: 2000});
	});

	it('leaves no control character, escape, newline or doubled blank', () => {
		fc.assert(
			fc.property(anyLine, line => {
				// eslint-disable-next-line no-control-regex
				const text = normaliseLine(line);
				return !/[\u0000-\u001F\u007F-\u009F]/.test(text) && !/\s{2}/.test(text) && text === text.trim();
			}),
			{numRuns: 2000},
		);
	});

	// One step's template: words, each followed by a hole of some kind, filled twice with values of that kind.
	const word = fc.stringMatching(/^[a-z]{2,8}$/);
	const holes = [
		fc.date({min: new Date('2018-01-01'), max: new Date('2032-12-31'), noInvalidDate: true}).map(date => date.toISOString()),
		fc.uuid(),
		fc.integer({min: 1, max: 10_000}).map(ms => `${ms}ms`),
		fc.integer({min: 1, max: 600}).map(seconds => `${seconds} seconds`),
		fc.integer({min: 1, max: 99}).map(attempt => `attempt ${attempt}/100`),
		fc.integer({min: 2, max: 4_194_304}).map(pid => `pid ${pid}`),
		fc.integer({min: 1, max: 65_535}).map(port => `127.0.0.1:${port}`),
		fc.bigInt({min: 2n ** 40n, max: 2n ** 64n - 1n}).map(value => `0x${value.toString(16)}`),
	];
	const piece = fc.integer({min: 0, max: holes.length - 1}).chain(kind => fc.tuple(word, holes[kind]!, holes[kind]!));

	it('reads two repetitions of one step the same, whatever their timestamps, ids, durations, counters, pids and ports', () => {
		fc.assert(
			fc.property(fc.array(piece, {minLength: 1, maxLength: 6}), pieces => {
				const first = pieces.map(([text, value]) => `${text} ${value}`).join(' ');
				const second = pieces.map(([text, , value]) => `${text} ${value}`).join(' ');
				return normaliseLine(first) === normaliseLine(second);
			}),
			{numRuns: 2000},
		);
	});

	it('keeps a line new when its percentage or N/M moved forward', () => {
		fc.assert(
			fc.property(word, fc.integer({min: 0, max: 99}), fc.integer({min: 1, max: 100}), (text, done, step) => {
				const total = 1000;
				const before = `${text} ${done}% (${done * 10}/${total})`;
				const after = `${text} ${done + step}% (${(done + step) * 10}/${total})`;
				return normaliseLine(before) !== normaliseLine(after);
			}),
		);
	});
});
