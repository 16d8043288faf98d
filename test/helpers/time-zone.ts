import {afterEach, beforeEach} from 'vitest';

/**
 * Run every test of the file in time zone `zone`, restored afterwards. A zone far from UTC makes
 * a naive Logist stamp read as UTC fail the tests that read it as local time.
 */
export function useTimeZone(zone: string): void {
	const saved = process.env['TZ'];
	beforeEach(() => {
		process.env['TZ'] = zone;
	});
	afterEach(() => {
		if (saved === undefined) delete process.env['TZ'];
		else process.env['TZ'] = saved;
	});
}
