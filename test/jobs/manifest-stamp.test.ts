import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatStamp, manifestStamp, parseStamp, stampZoneOf} from '../../source/jobs/timestamps.js';
import {withStatusChange} from '../../source/sentinel/act/status-transitions.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {useTimeZone} from '../helpers/time-zone.js';

// Far from UTC, so a naive stamp written in UTC instead of local time shows.
useTimeZone('Asia/Kolkata');

const naiveForm = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
// 2025-11-30 13:12:10.165 in Kolkata (+05:30).
const moment = Date.UTC(2025, 10, 30, 7, 42, 10, 165);

function fixture(name: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.join(logistFixtures, name, 'job_manifest.json'), 'utf8')) as Record<string, unknown>;
}

describe('formatStamp: naive local time with microseconds, as Logist writes', () => {
	it('writes local wall time without a zone, six fraction digits', () => {
		expect(formatStamp(moment)).toBe('2025-11-30T13:12:10.165000');
		expect(formatStamp(Date.UTC(2025, 10, 30, 7, 42, 10))).toBe('2025-11-30T13:12:10.000000');
	});

	it('keeps a fraction of a millisecond to the microsecond', () => {
		expect(formatStamp(moment + 0.52)).toBe('2025-11-30T13:12:10.165520');
		expect(formatStamp(moment + 0.9999)).toBe('2025-11-30T13:12:10.166000');
	});

	it('follows the local zone, daylight saving included, and reads back as the same moment', () => {
		process.env['TZ'] = 'America/New_York';
		const summer = Date.UTC(2025, 6, 1, 16, 0, 0, 7);
		expect(formatStamp(summer)).toBe('2025-07-01T12:00:00.007000');
		expect(formatStamp(moment)).toBe('2025-11-30T02:42:10.165000');
		for (const ms of [summer, moment, Date.UTC(1999, 11, 31, 23, 59, 59, 999)]) {
			expect(formatStamp(ms)).toMatch(naiveForm);
			expect(parseStamp(formatStamp(ms))).toBe(ms);
		}
	});
});

describe('formatStamp: zoned, at the zone it is given and in its style', () => {
	it.each([
		['Z', '2025-11-30T07:42:10.165000Z'],
		['+00:00', '2025-11-30T07:42:10.165000+00:00'],
		['+05:30', '2025-11-30T13:12:10.165000+05:30'],
		['-0500', '2025-11-30T02:42:10.165000-0500'],
		['+09', '2025-11-30T16:42:10.165000+09'],
	])('%s', (zone, expected) => {
		expect(formatStamp(moment, zone)).toBe(expected);
		expect(parseStamp(expected)).toBe(moment);
	});

	it('does not depend on the local zone, and rolls the date over at the offset', () => {
		process.env['TZ'] = 'America/Los_Angeles';
		expect(formatStamp(Date.UTC(2025, 11, 31, 23, 0, 0), '+05:30')).toBe('2026-01-01T04:30:00.000000+05:30');
		expect(formatStamp(moment, '+00:00')).toBe('2025-11-30T07:42:10.165000+00:00');
	});
});

describe('stampZoneOf: the form of updated_at, else created_at', () => {
	it('is naive for the Logist manifests, which carry neither', () => {
		for (const name of ['test-job', 'test_error_job_sim', 'test_poststep_job']) {
			const manifest = fixture(name);
			expect(stampZoneOf(manifest)).toBeUndefined();
			expect(manifestStamp(manifest, moment)).toBe('2025-11-30T13:12:10.165000');
		}
	});

	it('is naive when updated_at is, whatever created_at says', () => {
		expect(stampZoneOf({updated_at: '2025-11-30T13:12:10.165520', created_at: '2025-11-30T07:00:00Z'})).toBeUndefined();
		expect(stampZoneOf({updated_at: '2025-11-30 13:12:10'})).toBeUndefined();
	});

	it('takes the zone of updated_at, else of created_at, as written', () => {
		expect(stampZoneOf({updated_at: '2025-11-30T07:42:10.165Z', created_at: '2025-11-30T07:00:00+00:00'})).toBe('Z');
		expect(stampZoneOf({created_at: '2025-11-30T07:00:00.000001+00:00'})).toBe('+00:00');
		expect(stampZoneOf({updated_at: '2025-11-30T13:12:10+0530'})).toBe('+0530');
		expect(manifestStamp({updated_at: '2025-11-30T02:00:00-05:00'}, moment)).toBe('2025-11-30T02:42:10.165000-05:00');
	});

	it('passes over an updated_at that is not an ISO stamp (a number, text, an impossible zone)', () => {
		expect(stampZoneOf({updated_at: 1_764_488_530, created_at: '2025-11-30T07:00:00Z'})).toBe('Z');
		expect(stampZoneOf({updated_at: 'yesterday', created_at: '2025-11-30T07:00:00+00:00'})).toBe('+00:00');
		expect(stampZoneOf({updated_at: '2025-11-30T07:00:00+25:00'})).toBeUndefined();
		expect(stampZoneOf({updated_at: null, created_at: 17})).toBeUndefined();
	});
});

describe('withStatusChange: the history entry is stamped in the manifest form', () => {
	const facts = {severity: 'high', reason: 'silent for 30m', actionId: 'a1', now: moment} as const;

	it('naive in a Logist manifest, after its own naive entries', () => {
		const changed = withStatusChange(fixture('test_poststep_job'), {...facts, action: 'recover'});
		const history = changed['history'] as Array<Record<string, unknown>>;
		expect(history.map(entry => entry['timestamp'])).toEqual(['2025-11-30T20:45:57.102182', '2025-11-30T13:12:10.165000']);
		expect(history[1]).toMatchObject({event: 'SENTINEL_RECOVERY', previous_status: 'RUNNING', new_status: 'PENDING'});
	});

	it('zoned in a zoned manifest, for terminate as for recover', () => {
		const manifest = {status: 'RUNNING', updated_at: '2025-11-30T07:00:00.000000+00:00', history: []};
		const changed = withStatusChange(manifest, {...facts, action: 'terminate'});
		expect(changed['history']).toEqual([expect.objectContaining({event: 'SENTINEL_INTERVENTION', timestamp: '2025-11-30T07:42:10.165000+00:00'})]);
		expect(changed['updated_at']).toBe(manifest.updated_at);
	});
});
