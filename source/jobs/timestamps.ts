// How a manifest's timestamps are read (SPEC section 2):
// - ISO 8601 in the extended form Python's `datetime.isoformat()` writes ("T" or a space between
//   date and time, any number of fraction digits, read to the millisecond) with a zone
//   (`Z`, `+05:30`, `+0530`, `+05`), or without one: then it is local time, as Logist writes it.
//   A date alone is local midnight.
// - Numbers are epoch seconds below 1e12, else epoch milliseconds. Strings of digits are read
//   the same way, because shell scripts write `date +%s` between quotes.
// - Anything else, negative numbers, and impossible dates (February 30th, hour 25) are null.

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
