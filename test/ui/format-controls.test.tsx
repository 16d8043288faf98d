import fs from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it, onTestFinished} from 'vitest';
import {App} from '../../source/ui/App.js';
import {startTestEngine} from '../helpers/engine.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {makeFakeEngine, makeJob, makeSnapshot} from './fake-engine.js';
import {keys, renderApp, settle} from './render-app.js';

// "Trojan Source" on the dashboard: the bidi and format controls of SPEC section 10, one a job,
// in each job's id, description, command and output log, read by the real engine from real files.

const codePoints = [0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff];
const controls = codePoints.map(code => String.fromCodePoint(code));
const label = (index: number) => `U+${codePoints[index]!.toString(16).toUpperCase().padStart(4, '0')}`;
const number = (index: number) => String(index).padStart(2, '0');

/** The code points found in `text`, by name, so a failure says which got through. */
function found(text: string): string[] {
	return controls.flatMap((control, index) => (text.includes(control) ? [label(index)] : []));
}

describe('bidi and format controls on the dashboard', () => {
	it('never reach the table or any job\'s detail view: id, description, command, output', async () => {
		const jobsDir = makeTempDir('sentinel-bidi-ui-');
		for (const [index, control] of controls.entries()) {
			const dir = writeJob(jobsDir, `job-${number(index)}`, {job_id: `evil${control}id-${number(index)}`, status: 'PENDING', description: `desc${control}ription-${number(index)}`, command: `cmd${control} --flag`});
			fs.mkdirSync(path.join(dir, 'logs'));
			fs.writeFileSync(path.join(dir, 'logs', 'output.log'), `out${control}put-${number(index)}\n`);
		}

		const {engine} = await startTestEngine(jobsDir, {noAuto: true});
		const instance = render(<App engine={engine} ascii={false} color={false} onQuit={() => undefined} />);
		onTestFinished(() => instance.unmount());
		Object.defineProperty(instance.stdout, 'columns', {value: 120, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: 50, configurable: true});
		instance.stdout.emit('resize');
		const frame = () => instance.lastFrame() ?? '';
		expect(await waitFor(() => controls.every((_, index) => frame().includes(`evilid-${number(index)} `)))).toBe(true);
		expect(found(frame())).toEqual([]);

		const seen = new Set<string>();
		for (let row = 0; row < controls.length; row++) {
			instance.stdin.write(keys.enter);
			expect(await waitFor(() => /^ {2}output-\d\d$/m.test(frame()))).toBe(true);
			const detail = frame();
			const index = /^Job evilid-(\d\d)/m.exec(detail)?.[1];
			expect(index, detail).toBeDefined();
			seen.add(index!);
			expect(found(detail), `job ${index}`).toEqual([]);
			expect(detail).toContain(`Description: description-${index}`);
			expect(detail).toContain('Command: cmd --flag');
			expect(detail).toContain(`  output-${index}`);
			instance.stdin.write(keys.escape);
			await settle();
			instance.stdin.write('j');
			await settle();
		}

		expect(seen.size).toBe(controls.length);
	});

	it('are stripped when drawn even if the engine handed them over raw', async () => {
		const raw = controls.join('');
		const jobs = [makeJob({id: `raw${raw}-id`, description: `d${raw}`, command: `c${raw}`})];
		const screen = await renderApp(makeFakeEngine(makeSnapshot({jobs, notices: [`notice${raw}`]})), {columns: 120, rows: 30});
		expect(screen.frame()).toContain('raw-id');
		expect(found(screen.frame())).toEqual([]);
		await screen.press(keys.enter);
		expect(screen.frame()).toContain('Description: d');
		expect(found(screen.frame())).toEqual([]);
	});
});
