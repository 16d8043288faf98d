/**
 * Order two strings by their UTF-16 code units: the same order on every machine and locale, and
 * no ICU. The first `localeCompare` of a process loads ICU's collation data (10-20 ms), which the
 * dashboard's first frame would otherwise wait for.
 */
export function compareText(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}
