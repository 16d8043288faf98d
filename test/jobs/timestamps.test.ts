import {describe, expect, it} from 'vitest';
import {parseStamp} from '../../source/jobs/timestamps.js';
import {useTimeZone} from '../helpers/time-zone.js';

useTimeZone('Asia/Kolkata');

describe('parseStamp: ISO 8601 without a zone is local time', () => {
	it('reads the naive microsecond stamps Logist writes, to the millisecond', () => {
		const expected = Date.UTC(2025, 10, 30, 15, 15, 57, 102); // 20:45:57.102 at +05:30
		expect(parseStamp('2025-11-30T20:45:57.102182')).toBe(expected);
		expect(parseStamp('2025-11-30T20:45:57.102182')).toBe(new Date(2025, 10, 30, 20, 45, 57, 102).getTime());
	});

	it('follows the local zone it runs in', () => {
		process.env['TZ'] = 'America/New_York';
		expect(parseStamp('2025-11-30T13:12:10.165520')).toBe(Date.UTC(2025, 10, 30, 18, 12, 10, 165));
		expect(parseStamp('2025-07-01T12:00:00')).toBe(Date.UTC(2025, 6, 1, 16, 0, 0));
	});

	it('accepts a space for the T, no seconds, no fraction, and a date alone', () => {
		expect(parseStamp('2025-11-30 20:45:57')).toBe(new Date(2025, 10, 30, 20, 45, 57).getTime());
		expect(parseStamp('2025-11-30T20:45')).toBe(new Date(2025, 10, 30, 20, 45).getTime());
		expect(parseStamp('2025-11-30')).toBe(new Date(2025, 10, 30).getTime());
		expect(parseStamp('  2025-11-30T20:45:57  ')).toBe(new Date(2025, 10, 30, 20, 45, 57).getTime());
	});
});

describe('parseStamp: ISO 8601 with a zone', () => {
	const moment = Date.UTC(2025, 10, 30, 20, 45, 57, 102);
	it.each([
		['2025-11-30T20:45:57.102Z', moment],
		['2025-11-30t20:45:57.102z', moment],
		['2025-11-30T20:45:57.102182+00:00', moment],
		['2025-11-30T15:45:57.102-05:00', moment],
		['2025-12-01T02:15:57.102+0530', moment],
		['2025-12-01T01:45:57.102+05', moment],
		['2025-11-30 20:45:57.102 +00:00', moment],
	])('%s', (text, expected) => {
		expect(parseStamp(text)).toBe(expected);
	});
});

describe('parseStamp: numbers', () => {
	it('reads numbers below 1e12 as epoch seconds, others as milliseconds', () => {
		expect(parseStamp(1_700_000_000)).toBe(1_700_000_000_000);
		expect(parseStamp(1_700_000_000.25)).toBe(1_700_000_000_250);
		expect(parseStamp(1_700_000_000_123)).toBe(1_700_000_000_123);
		expect(parseStamp(999_999_999_999)).toBe(999_999_999_999_000);
		expect(parseStamp(1e12)).toBe(1e12);
		expect(parseStamp(0)).toBe(0);
	});

	it('reads strings of digits the same way', () => {
		expect(parseStamp('1700000000')).toBe(1_700_000_000_000);
		expect(parseStamp(' 1700000000.5 ')).toBe(1_700_000_000_500);
		expect(parseStamp('1700000000123')).toBe(1_700_000_000_123);
	});
});

describe('parseStamp: anything else is null', () => {
	it.each([
		null,
		undefined,
		true,
		{},
		[],
		['2025-11-30'],
		'',
		'   ',
		'yesterday',
		'Nov 30 2025',
		'Sun, 30 Nov 2025 20:45:57 GMT',
		'2025-13-01',
		'2025-00-10',
		'2025-02-29',
		'2025-04-31',
		'2025-11-30T24:00:00',
		'2025-11-30T20:60:00',
		'2025-11-30T20:45:60',
		'2025-11-30T20:45:57+24:00',
		'2025-11-30T20:45:57+05:60',
		'2025-11-30Z',
		'2025-11-30T20:45:57.Z',
		'2025-11-30T20',
		'-1700000000',
		'1e9',
		Number.NaN,
		Number.POSITIVE_INFINITY,
		-1,
		1e20,
	])('%j', value => {
		expect(parseStamp(value)).toBeNull();
	});

	it('knows leap years', () => {
		expect(parseStamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
		expect(parseStamp('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
		expect(parseStamp('1900-02-29T00:00:00Z')).toBeNull();
	});

	it('reads two-digit years as they are written, not as 19xx', () => {
		expect(new Date(parseStamp('0050-01-01T00:00:00Z') as number).getUTCFullYear()).toBe(50);
		expect(new Date(parseStamp('0050-01-01T00:00:00') as number).getFullYear()).toBe(50);
	});
});
