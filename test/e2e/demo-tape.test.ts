import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import {commandFor, keymap, type Command} from '../../source/ui/keymap.js';
import {cliPath, runCli} from '../helpers/cli.js';

// demo.tape records the readme's demo with VHS, which cannot run here: instead, read it the way
// VHS and then the dashboard would, so a renamed script, command or key breaks this test.

const root = fileURLToPath(new URL('../../', import.meta.url));
const tapeFile = path.join(root, 'demo.tape');
const dashboardCommand = 'dist/bin/sentinel-tui.js demo';
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>; scripts: Record<string, string>};

const keyCommands = ['Enter', 'Up', 'Down', 'Left', 'Right', 'Escape', 'Tab', 'Space', 'Backspace', 'Delete', 'Insert', 'PageUp', 'PageDown', 'ScrollUp', 'ScrollDown'];
const otherCommands = ['Output', 'Require', 'Set', 'Type', 'Sleep', 'Hide', 'Show', 'Screenshot', 'Wait', 'Source', 'Env', 'Copy', 'Paste'];
const settings = ['Shell', 'FontFamily', 'FontSize', 'Framerate', 'PlaybackSpeed', 'Height', 'Width', 'LetterSpacing', 'TypingSpeed', 'LineHeight', 'Padding', 'Theme', 'LoopOffset', 'BorderRadius', 'Margin', 'MarginFill', 'WindowBar', 'WindowBarSize', 'CursorBlink', 'WaitTimeout', 'WaitPattern'];

/** One line of the tape that does something. */
type Step = {line: number; command: string; args: string};

/** One key as the dashboard receives it: Ink's input and key flags. */
type Press = {line: number; name: string; input: string; key: Key};

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

// What Ink reports for VHS's named keys; keys Ink has no flag for report none and so bind nothing.
const inkKeys: Record<string, Partial<Key>> = {
	Up: {upArrow: true}, Down: {downArrow: true}, Left: {leftArrow: true}, Right: {rightArrow: true}, PageUp: {pageUp: true}, PageDown: {pageDown: true},
	Enter: {return: true}, Escape: {escape: true}, Tab: {tab: true}, Backspace: {backspace: true}, Delete: {delete: true},
};

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
			for (const char of typedText(step)) presses.push({line: step.line, name: char, input: char, key: {...noKey, shift: /^[A-Z]$/.test(char)}});
		} else if (keyCommands.includes(step.command) || /^(Ctrl|Alt|Shift)\+/.test(step.command)) {
			const ctrl = /^Ctrl\+(.)$/.exec(step.command)?.[1];
			const press = ctrl ? {input: ctrl.toLowerCase(), key: {...noKey, ctrl: true}} : {input: step.command === 'Space' ? ' ' : '', key: {...noKey, ...inkKeys[step.command]}};
			for (let count = 0; count < repeat(step); count++) presses.push({line: step.line, name: step.command, ...press});
		}
		if (presses.length > 0 && commandFor(presses.at(-1)!.input, presses.at(-1)!.key) === 'quit') break;
	}
	return {shellLines, presses};
}

/**
 * Play the keys through the dashboard's modes (table, detail, help, confirmation) as
 * use-dashboard-input.ts handles them; returns what each key did, or throws at an unbound one.
 */
function play(presses: Press[]): string[] {
	let screen: 'table' | 'detail' = 'table';
	let overlay: 'none' | 'help' | 'confirm' | 'filter' = 'none';
	const done: string[] = [];
	for (const {line, name, input, key} of presses) {
		const command: Command | undefined = commandFor(input, key);
		const where = `demo.tape:${line}: ${name}`;
		if (overlay === 'confirm') {
			// The confirmation's own keys: y confirms; n, Esc and Enter decline.
			if (input === 'y') done.push('confirm');
			else if (input === 'n' || key.escape || key.return) done.push('decline');
			else throw new Error(`${where} does nothing in a confirmation (y, n, Esc or Enter)`);
			overlay = 'none';
			continue;
		}
		if (overlay === 'filter') {
			if (key.return || key.escape) overlay = 'none';
			done.push('filter text');
			continue;
		}
		if (!command) throw new Error(`${where} is bound to nothing in source/ui/keymap.ts`);
		if (overlay === 'help') {
			// Any key closes the help; the test still wants a bound one, as the tape shows it to viewers.
			overlay = 'none';
			done.push(command === 'quit' ? 'quit' : 'close help');
			if (command === 'quit') break;
			continue;
		}
		done.push(command);
		if (command === 'quit') break;
		if (command === 'help') overlay = 'help';
		else if (command === 'detail' && screen === 'table') screen = 'detail';
		else if (command === 'back') screen = 'table';
		else if (command === 'terminate' || command === 'recover') overlay = 'confirm';
		else if (command === 'filter') overlay = 'filter';
	}
	return done;
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

	test('presses only keys the dashboard binds, and shows detail, terminate, help and quit', () => {
		const {presses} = session();
		const done = play(presses);
		expect(done.at(-1), 'the tape ends the dashboard with q').toBe('quit');
		expect(presses.at(-1)!.input).toBe('q');
		expect(done).toContain('detail');
		expect(done.join(' ')).toContain('terminate confirm');
		expect(done).toContain('help');
		// The keymap is the one the dashboard uses: every command the tape ran is in it.
		const commands = new Set(keymap.map(entry => entry.command as string));
		for (const step of done.filter(step => !['confirm', 'decline', 'close help', 'filter text'].includes(step))) expect(commands).toContain(step);
	});

	test('a key the keymap does not bind is caught', () => {
		const press = (input: string, extra: Partial<Key> = {}): Press => ({line: 0, name: input || 'key', input, key: {...noKey, ...extra}});
		expect(() => play([press('z')])).toThrow(/bound to nothing/);
		expect(() => play([press('x'), press('z')])).toThrow(/confirmation/);
		expect(() => play([press('', {tab: true})])).toThrow(/bound to nothing/);
		expect(play([press('?'), press('', {escape: true}), press('q')])).toEqual(['help', 'close help', 'quit']);
	});
});
