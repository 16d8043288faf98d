// How a manifest's timestamps are read (SPEC section 2):
// - ISO 8601 in the extended form Python's `datetime.isoformat()` writes ("T" or a space between
//   date and time, any number of fraction digits, read to the millisecond) with a zone
//   (`Z`, `+05:30`, `+0530`, `+05`), or without one: then it is local time, as Logist writes it.
//   A date alone is local midnight.
// - Numbers are epoch seconds below 1e12, else epoch milliseconds. Strings of digits are read
//   the same way, because shell scripts write `date +%s` between quotes.
// - Anything else, negative numbers, and impossible dates (February 30th, hour 25) are null.
// How the sentinel writes one (SPEC section 2): in the manifest's own form, see manifestStamp.

const isoStamp =
	/^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const digits = /^\d+(?:\.\d+)?$/;
// Beyond this, Date cannot represent the moment.
const maxDateMs = 8.64e15;

/** A manifest timestamp (ISO 8601 or epoch seconds/ms, see above) as epoch ms; null when unreadable. */
export function parseStamp(value: unknown): number | null {
	if (typeof value === 'number') return fromEpoch(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (digits.test(text)) return fromEpoch(Number(text));
	const match = isoStamp.exec(text);
	return match ? fromIso(match) : null;
}

function fromEpoch(value: number): number | null {
	if (!Number.isFinite(value) || value < 0) return null;
	const ms = Math.floor(value < 1e12 ? value * 1000 : value);
	return ms <= maxDateMs ? ms : null;
}

function fromIso(match: RegExpExecArray): number | null {
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
	const fields = {
		year: Number(year),
		month: Number(month),
		day: Number(day),
		hour: Number(hour),
		minute: Number(minute),
		second: Number(second),
		ms: Number(fraction.slice(0, 3).padEnd(3, '0')),
	};
	if (fields.month < 1 || fields.month > 12) return null;
	if (fields.day < 1 || fields.day > daysInMonth(fields.year, fields.month)) return null;
	if (fields.hour > 23 || fields.minute > 59 || fields.second > 59) return null;
	if (zone === undefined) return localMs(fields);
	const offset = offsetMinutes(zone);
	return offset === null ? null : utcMs(fields) - offset * 60_000;
}

type Fields = {year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number};

// setFullYear rather than the Date constructor, which reads years 0-99 as 1900-1999.
function localMs(fields: Fields): number {
	const date = new Date(0);
	date.setFullYear(fields.year, fields.month - 1, fields.day);
	date.setHours(fields.hour, fields.minute, fields.second, fields.ms);
	return date.getTime();
}

// Date.UTC makes no Date, but reads years 0-99 as 1900-1999: those take the long way.
function utcMs(fields: Fields): number {
	if (fields.year >= 100) return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, fields.ms);
	const date = new Date(0);
	date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
	date.setUTCHours(fields.hour, fields.minute, fields.second, fields.ms);
	return date.getTime();
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// The proleptic Gregorian calendar, as Date counts it (year 0 is a leap year).
function daysInMonth(year: number, month: number): number {
	if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
	return monthDays[month - 1]!;
}

function offsetMinutes(zone: string): number | null {
	if (zone === 'Z' || zone === 'z') return 0;
	const sign = zone.startsWith('-') ? -1 : 1;
	const numbers = zone.slice(1).replace(':', '');
	const hours = Number(numbers.slice(0, 2));
	const minutes = numbers.length > 2 ? Number(numbers.slice(2)) : 0;
	if (hours > 23 || minutes > 59) return null;
	return sign * (hours * 60 + minutes);
}

/**
 * The zone a manifest's stamps carry, as it writes it (`Z`, `+00:00`, `+0530`): that of
 * `updated_at`, else `created_at` (the first of them that is an ISO stamp). Undefined when they
 * carry none or are absent: the manifest is naive, as Logist writes it.
 */
export function stampZoneOf(manifest: Record<string, unknown>): string | undefined {
	for (const field of ['updated_at', 'created_at']) {
		const value = manifest[field];
		if (typeof value !== 'string') continue;
		const match = isoStamp.exec(value.trim());
		if (match && fromIso(match) !== null) return match[8];
	}
	return undefined;
}

/**
 * `ms` (epoch, to the nearest microsecond) in the form Python's `isoformat()` gives:
 * naive local time when `zone` is undefined (`2025-11-30T13:12:10.165520`), else the time at
 * that zone's offset followed by the zone as given. Logist subtracts naive stamps from a naive
 * `datetime.now()`, so a zone must never appear in a manifest that has none.
 */
export function formatStamp(ms: number, zone?: string): string {
	const micros = Math.round(ms * 1000);
	const wholeMs = Math.floor(micros / 1000);
	const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
	if (zone === undefined) {
		const date = new Date(wholeMs);
		return isoText(date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds(), fraction);
	}
	const shifted = new Date(wholeMs + (offsetMinutes(zone) ?? 0) * 60_000);
	const text = isoText(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate(), shifted.getUTCHours(), shifted.getUTCMinutes(), shifted.getUTCSeconds(), fraction);
	return text + zone;
}

/** A stamp for `manifest`, written at `ms` in the form its own stamps use (see above). */
export function manifestStamp(manifest: Record<string, unknown>, ms: number): string {
	return formatStamp(ms, stampZoneOf(manifest));
}

function isoText(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string): string {
	const two = (value: number) => String(value).padStart(2, '0');
	return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}.${fraction}`;
}
