import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {afterAll, describe, expect, it, onTestFinished, vi} from 'vitest';
import {Line, type Segment} from '../../source/ui/Line.js';
import {Lines, type KeyedLine} from '../../source/ui/Lines.js';

// chalk decides its colour level when it loads: force colour before anything imports it.
vi.hoisted(() => {
	process.env['FORCE_COLOR'] = '1';
});

afterAll(() => {
	delete process.env['FORCE_COLOR'];
});

const rows: KeyedLine[] = [
	{key: 'title', segments: [{text: 'ID        STATUS', bold: true}]},
	{key: 'a', segments: [{text: 'job-a     '}, {text: 'critical', color: 'red', bold: true, inverse: true}]},
	{key: 'b', segments: [{text: 'job-b     '}, {text: 'a status far too long for the line', color: 'yellow'}], inverse: true},
	{key: 'c', segments: [{text: 'job-\u001B[31mc\u0007'}, {text: '日本語のジョブ'}]},
];

function drawn(element: React.JSX.Element): string {
	const instance = render(element);
	onTestFinished(() => instance.unmount());
	return instance.lastFrame() ?? '';
}

describe('Lines', () => {
	it('draws, in colour, exactly what one Line per row draws', () => {
		const many = drawn(<Lines lines={rows} width={30} ellipsis="…" color />);
		const each = drawn(
			<Box flexDirection="column">
				{rows.map(row => (
					<Line key={row.key} segments={row.segments} width={30} ellipsis="…" color inverse={row.inverse} />
				))}
			</Box>,
		);
		expect(many).toBe(each);
		expect(many).toContain('\u001B[7m');
		expect(many).not.toContain('\u0007');
	});

	it('draws a line again when its segments change, and keeps the others', () => {
		const instance = render(<Lines lines={rows} width={30} ellipsis="…" color={false} />);
		onTestFinished(() => instance.unmount());
		const changed: Segment[] = [{text: 'job-a     '}, {text: 'ok'}];
		instance.rerender(<Lines lines={rows.map(row => (row.key === 'a' ? {...row, segments: changed} : row))} width={30} ellipsis="…" color={false} />);
		const lines = (instance.lastFrame() ?? '').replaceAll(/\u001B\[\d+m/g, '').split('\n');
		expect(lines[1]).toBe('job-a     ok');
		expect(lines[0]).toBe('ID        STATUS');
		expect(lines[2]).toBe('job-b     a status far too lo…');
	});
});
