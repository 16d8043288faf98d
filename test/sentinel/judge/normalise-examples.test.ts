import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {normaliseLine} from '../../../source/sentinel/judge/normalise.js';

/** The rows of the examples table that follows `header` in `file`: each cell's code spans. */
function exampleRows(file: string, header: string): Array<[string[], string[]]> {
	const lines = fs.readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8').split('\n');
	const start = lines.findIndex(line => line.startsWith(header));
	expect(start, `${file}: the table "${header}"`).toBeGreaterThan(-1);
	const rows: Array<[string[], string[]]> = [];
	for (const line of lines.slice(start + 2)) {
		if (!line.startsWith('|')) break;
		const [repeats = '', progress = ''] = line.split(' | ');
		const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map(match => match[1]!);
		rows.push([spans(repeats), spans(progress)]);
	}
	return rows;
}

describe('the normalisation examples shown to operators', () => {
	it.each([
		['readme.md', '| equal once normalised: a repeat'],
		['docs/progress.md', '| equal after normalising: a repeat'],
	])('%s: the repeats read the same and the progress stays new', (file, header) => {
		const rows = exampleRows(file, header);
		expect(rows.length).toBeGreaterThanOrEqual(3);
		// The readme pairs lines in one row; docs/progress.md in two rows following each other.
		const pairs = rows.every(([repeats]) => repeats.length === 2) ? rows : rows.flatMap((row, index) => (index % 2 === 0 ? [[[row[0][0]!, rows[index + 1]![0][0]!], [row[1][0]!, rows[index + 1]![1][0]!]] as [string[], string[]]] : []));
		for (const [[first, second], [before, after]] of pairs) {
			expect(normaliseLine(first!), `${first} / ${second}`).toBe(normaliseLine(second!));
			expect(normaliseLine(before!), `${before} / ${after}`).not.toBe(normaliseLine(after!));
		}
	});
});
