import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {cliPath, runCli} from '../helpers/cli.js';
import {makeFakeEngine, makeJob, makeSnapshot, type FakeEngine} from '../ui/fake-engine.js';
import {renderApp} from '../ui/render-app.js';

// demo.tape records the readme's demo with VHS, which cannot run here: instead, read it as VHS
// does and press its keys in the real dashboard, so a renamed script or command, or a key that
// no longer does what the tape shows, breaks this test.

const root = fileURLToPath(new URL('../../', import.meta.url));
const tapeFile = path.join(root, 'demo.tape');
const dashboardCommand = 'dist/bin/sentinel-tui.js demo';
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>; scripts: Record<string, string>};

const keyCommands = ['Enter', 'Up', 'Down', 'Left', 'Right', 'Escape', 'Tab', 'Space', 'Backspace', 'Delete', 'Insert', 'PageUp', 'PageDown', 'ScrollUp', 'ScrollDown'];
const otherCommands = ['Output', 'Require', 'Set', 'Type', 'Sleep', 'Hide', 'Show', 'Screenshot', 'Wait', 'Source', 'Env', 'Copy', 'Paste'];
const settings = ['Shell', 'FontFamily', 'FontSize', 'Framerate', 'PlaybackSpeed', 'Height', 'Width', 'LetterSpacing', 'TypingSpeed', 'LineHeight', 'Padding', 'Theme', 'LoopOffset', 'BorderRadius', 'Margin', 'MarginFill', 'WindowBar', 'WindowBarSize', 'CursorBlink', 'WaitTimeout', 'WaitPattern'];

/** One line of the tape that does something. */
type Step = {line: number; command: string; args: string};

/** One key of the tape as the terminal sends it to the dashboard. */
type Press = {line: number; name: string; bytes: string};

// What a terminal sends for VHS's named keys (ScrollUp and ScrollDown are the mouse's: none here).
const terminalKeys: Record<string, string> = {
	Enter: '\r', Up: '\u001B[A', Down: '\u001B[B', Right: '\u001B[C', Left: '\u001B[D', Escape: '\u001B', Tab: '\t', Space: ' ',
	Backspace: '\u007F', Delete: '\u001B[3~', Insert: '\u001B[2~', PageUp: '\u001B[5~', PageDown: '\u001B[6~',
};

/** The bytes of `Ctrl+c`, `Alt+x`, `Shift+Tab` or a named key. */
function bytesOf(step: Step): string {
	const [, modifier, name] = /^(?:(Ctrl|Alt|Shift)\+)?(.+)$/.exec(step.command)!;
	if (modifier === 'Ctrl' && name!.length === 1) return String.fromCharCode(name!.toUpperCase().charCodeAt(0) & 0x1f);
	if (modifier === 'Alt') return `\u001B${name!.length === 1 ? name : bytesOf({...step, command: name!})}`;
	if (modifier === 'Shift' && name === 'Tab') return '\u001B[Z';
	const bytes = modifier ? undefined : terminalKeys[name!];
	if (bytes === undefined) throw new Error(`demo.tape:${step.line}: ${step.command} is no key a terminal sends here`);
	return bytes;
}

function parseTape(text: string): Step[] {
	return text.split('\n').flatMap((raw, index) => {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) return [];
		const match = /^((?:Ctrl|Alt|Shift)\+\S+|[A-Z]\w*)(@\d+(?:\.\d+)?(?:ms|s)?)?(?:\s+(.*))?$/.exec(line);
		if (!match) throw new Error(`demo.tape:${index + 1}: not a VHS command: ${line}`);
		return [{line: index + 1, command: match[1]!, args: match[3] ?? ''}];
	});
}

/** The text of a `Type` step: VHS takes "double", 'single' or `backtick` quotes. */
function typedText(step: Step): string {
	const quoted = /^(["'`])(.*)\1$/.exec(step.args);
	if (!quoted) throw new Error(`demo.tape:${step.line}: Type needs a quoted string: ${step.args}`);
	return quoted[2]!;
}

/** How often a key step presses its key: `Down 3`. */
const repeat = (step: Step) => (step.args === '' ? 1 : Number(step.args));

const steps = parseTape(fs.readFileSync(tapeFile, 'utf8'));

/** Split the tape into the shell lines typed before the dashboard and the keys pressed in it. */
function session(): {shellLines: string[]; presses: Press[]} {
	const shellLines: string[] = [];
	const presses: Press[] = [];
	let typed = '';
	let inDashboard = false;
	for (const step of steps) {
		if (!inDashboard) {
			if (step.command === 'Type') typed += typedText(step);
			if (step.command === 'Enter') {
				shellLines.push(typed);
				inDashboard = typed === dashboardCommand;
				typed = '';
			}
			continue;
		}
		if (step.command === 'Type') {
			for (const char of typedText(step)) presses.push({line: step.line, name: char, bytes: char});
		} else if (keyCommands.includes(step.command) || /^(Ctrl|Alt|Shift)\+/.test(step.command)) {
			for (let count = 0; count < repeat(step); count++) presses.push({line: step.line, name: step.command, bytes: bytesOf(step)});
		}
	}
	return {shellLines, presses};
}

/** The demo's jobs (source/commands/demo/jobs/), one of each severity it shows. */
const demoJobs = () => [
	makeJob({id: 'healthy-worker', severity: 'ok', silenceMs: 2000}),
	makeJob({id: 'quiet-supervisor', severity: 'low', silenceMs: 1_000_000}),
	makeJob({id: 'silent-worker', severity: 'medium', silenceMs: 1_400_000}),
	makeJob({id: 'cpu-spinner', severity: 'high', silenceMs: 1_900_000, cpu: 99}),
	makeJob({id: 'memory-grower', severity: 'high', silenceMs: 60_000, rss: 2 * 2 ** 30}),
	makeJob({id: 'term-ignoring-tree', severity: 'critical', silenceMs: 3_700_000}),
];

/** What the dashboard shows, told from its frame. */
function viewOf(frame: string): string {
	if (frame.includes('Quit the dashboard')) return 'help';
	if (/(Terminate|Recover) job \S+\?/.test(frame)) return 'confirmation';
	if (/^Job \S+ /m.test(frame) && frame.includes('Directory: ')) return 'detail';
	return 'table';
}

type Played = {views: string[]; acts: FakeEngine['acts']; quits: number};

/**
 * Press the keys in the real dashboard (the App and its input handling, through Ink, at the
 * tape's 120x40 or so) over a stand-in engine with the demo's jobs. Each key must change the
 * screen, act or quit, else it throws naming the tape's line: a key the dashboard ignores would
 * show nothing in the recording.
 */
async function play(presses: Press[]): Promise<Played> {
	const engine = makeFakeEngine(makeSnapshot({jobs: demoJobs()}));
	const screen = await renderApp(engine, {columns: 120, rows: 40});
	const views: string[] = [];
	try {
		for (const {line, name, bytes} of presses) {
			const where = `demo.tape:${line}: ${name}`;
			if (screen.quits() > 0) throw new Error(`${where} is pressed after the dashboard quit`);
			const [frame, acts] = [screen.frame(), engine.acts.length];
			await screen.press(bytes);
			if (screen.frame() === frame && engine.acts.length === acts && screen.quits() === 0) throw new Error(`${where} does nothing in the ${viewOf(frame)}`);
			views.push(viewOf(screen.frame()));
		}
	} finally {
		screen.unmount();
	}
	return {views, acts: engine.acts, quits: screen.quits()};
}

describe('demo.tape', () => {
	test('is made only of VHS commands and settings', () => {
		expect(steps.length).toBeGreaterThan(10);
		const known = [...keyCommands, ...otherCommands];
		for (const step of steps) {
			const where = `demo.tape:${step.line}: ${step.command} ${step.args}`;
			expect(known.includes(step.command) || /^(Ctrl|Alt|Shift)\+\S+$/.test(step.command), where).toBe(true);
			if (keyCommands.includes(step.command)) expect(step.args, where).toMatch(/^(\d+)?$/);
			if (step.command === 'Sleep') expect(step.args, where).toMatch(/^\d+(\.\d+)?(ms|s)?$/);
			if (step.command === 'Set') expect(settings, where).toContain(step.args.split(/\s+/)[0]);
			if (step.command === 'Type') expect(() => typedText(step), where).not.toThrow();
			if (step.command === 'Output') expect(step.args, where).toMatch(/\.(gif|mp4|webm)$/);
		}
	});

	test('requires programs that exist, and types shell commands that exist', async () => {
		for (const step of steps.filter(step => step.command === 'Require')) {
			expect(() => execFileSync('bash', ['-c', `command -v ${step.args}`], {stdio: 'pipe'}), `Require ${step.args}`).not.toThrow();
		}
		const {shellLines} = session();
		expect(shellLines.at(-1), 'the tape starts the dashboard on the demo').toBe(dashboardCommand);
		for (const line of shellLines) {
			const npmRun = /^npm run (\S+)/.exec(line);
			// The program run by its path, as its bin link runs it (its first lines choose node's flags).
			const program = /^(\S+\.js)(?: |$)/.exec(line);
			if (npmRun) expect(Object.keys(packageJson.scripts), line).toContain(npmRun[1]);
			else if (program) {
				expect(Object.values(packageJson.bin).map(bin => path.normalize(bin)), line).toContain(path.normalize(program[1]!));
				expect(path.resolve(root, program[1]!)).toBe(cliPath);
			} else expect(() => execFileSync('bash', ['-c', `command -v ${line.split(' ')[0]}`], {stdio: 'pipe'}), line).not.toThrow();
		}

		// `demo` is a command of the CLI: the help lists it, and the parser takes it as one (so an
		// extra argument after it is the first unexpected one, not the second).
		const help = await runCli(['--help']);
		expect(help.stdout).toMatch(/\$ sentinel-tui demo\b/);
		const parsed = await runCli(['demo', 'extra', 'another']);
		expect(parsed.code).toBe(2);
		expect(parsed.stderr).toContain('unexpected argument "another"');
	});

	test('drives the real dashboard: every key does something, through detail, a terminate and help, to quit', async () => {
		const {presses} = session();
		const {views, acts, quits} = await play(presses);
		expect(quits, 'the tape ends the dashboard').toBe(1);
		expect(presses.at(-1)!.bytes, 'with q').toBe('q');
		expect(views).toContain('detail');
		expect(views).toContain('confirmation');
		expect(views).toContain('help');
		expect(acts.map(act => act.action), 'one terminate, confirmed').toEqual(['terminate']);
	});

	test('a key that does nothing, or comes after quit, is caught at its line', async () => {
		const press = (bytes: string, name = bytes): Press => ({line: 0, name, bytes});
		await expect(play([press('z')])).rejects.toThrow(/demo\.tape:0: z does nothing in the table/);
		await expect(play([press('x'), press('z')])).rejects.toThrow(/z does nothing in the confirmation/);
		await expect(play([press('q'), press('j')])).rejects.toThrow(/j is pressed after the dashboard quit/);
		expect(await play([press('?'), press('\u001B', 'Escape'), press('q')])).toMatchObject({views: ['help', 'table', 'table'], acts: [], quits: 1});
	});
});
