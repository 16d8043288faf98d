import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {optionSpecs, flagName} from '../source/config/options.js';
import {wrapWords} from '../source/help-text.js';
import {runCli} from './helpers/cli.js';
import {makeTempDir} from './helpers/temp-dir.js';

// SPEC section 7, as written there: every command and option the operator is told about.
const specCommands = ['[jobs-dir]', '--headless', 'status', 'run', 'demo', 'log', 'terminate', 'recover', 'pause', 'resume', 'fleet'];
const specOptions = [
	'--jobs-dir', '--config', '--interval', '--worker-timeout', '--supervisor-timeout', '--critical-timeout', '--memory-limit',
	'--cpu-limit', '--cpu-samples', '--max-interventions', '--grace', '--no-auto', '--dry-run', '--on-intervention', '--webhook',
	'--audit-log', '--ascii', '--loop-detection', '--no-loop-detection', '--cadence-threshold', '--metrics', '--version', '--help',
	// The commands' own flags.
	'--headless', '--json', '-f', '--id', '--role', '--retries', '--yes', '--prometheus',
];
// Not built yet, so not in --help (help that lists what is not there misleads): each names its
// issue, and a check below fails the day the binary accepts it, so it cannot be forgotten here.
const notYetOptions: Record<string, number> = {};
const notYetCommands: Record<string, number> = {};

/** A row's left cell is indented four columns (meow's two, then the section's two). */
const rowPattern = /^ {4}(\S.*?)(?: {2,}(\S.*))?$/;

/** The sections of the help: a title line, then its rows and their wrapped continuations. */
function sections(help: string): Array<{title: string; lines: string[]}> {
	return help
		.split(/\n\s*\n/)
		.map(block => block.split('\n').filter(line => line.trim() !== ''))
		.filter(lines => lines.length > 1 && /^ {2}\S/.test(lines[0]!) && rowPattern.test(lines[1]!))
		.map(([title, ...lines]) => ({title: title!.trim(), lines}));
}

/** The column each line's description starts at: after a row's left cell, or a continuation's indent. */
function descriptionColumns(lines: readonly string[]): number[] {
	return lines.flatMap(line => {
		const continuation = /^( {5,})\S/.exec(line);
		if (continuation) return [continuation[1]!.length];
		const row = / {2,}(?=\S)/g;
		row.lastIndex = 4;
		const gap = row.exec(line);
		// A left cell too long for the column has its description on the next line.
		return gap ? [gap.index + gap[0].length] : [];
	});
}

describe('sentinel-tui --help', () => {
	test('names every command and option of SPEC section 7 the binary has, one row each', async () => {
		const result = await runCli(['--help']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		const help = result.stdout;
		const leftCells = help.split('\n').flatMap(line => {
			const match = rowPattern.exec(line);
			return match ? [match[1]!] : [];
		});

		// `$ sentinel-tui terminate|recover|pause|resume JOB` names each of the four.
		const usage = (command: string) => leftCells.some(cell => cell.startsWith('$ sentinel-tui ') && cell.split(' ')[2]!.split('|').includes(command));
		// `-f, --follow DIR` names -f and --follow.
		const flagged = (option: string) => leftCells.some(cell => cell.split(/,? /).filter(word => word.startsWith('-')).includes(option));
		for (const command of specCommands) expect(usage(command), command).toBe(!(command in notYetCommands));
		for (const option of specOptions) expect(flagged(option), option).toBe(!(option in notYetOptions));
		// And every option of the option table, whatever SPEC says: the table is what the binary parses.
		for (const spec of optionSpecs) expect(flagged(`--${flagName(spec.name)}`), spec.name).toBe(true);
	});

	test('the binary still has none of what --help leaves out', async () => {
		const jobsDir = makeTempDir('sentinel-help-');
		const options = await Promise.all(Object.keys(notYetOptions).map(async option => [option, await runCli(['status', '--json', option, '1', jobsDir])] as const));
		for (const [option, result] of options) {
			expect(result.stderr, `${option} (issue ${notYetOptions[option]}) is built: add it to --help and drop it here`).toContain('unknown option');
		}

		const commands = await Promise.all(Object.keys(notYetCommands).map(async command => [command, await runCli([command, 'some-job'])] as const));
		for (const [command, result] of commands) {
			expect(result.stderr, `${command} (issue ${notYetCommands[command]}) is built: add it to --help and drop it here`).toContain('unexpected argument "some-job"');
		}
	});

	test('lines up each section\'s descriptions in one column, within 80 columns', async () => {
		const help = (await runCli(['--help'])).stdout;
		const found = sections(help);
		expect(found.map(section => section.title)).toEqual(['Usage', 'Command options', 'Options']);
		for (const {title, lines} of found) {
			const columns = descriptionColumns(lines);
			// A row without its description on the line has it on the next, at the column.
			for (const [index, line] of lines.entries()) {
				if (!/^ {4}\S/.test(line) || / {2,}\S/.test(line.slice(4))) continue;
				expect(lines[index + 1], `${title}: ${line}`).toMatch(/^ {5,}\S/);
			}
			expect(new Set(columns), `${title}: ${JSON.stringify(lines, null, 1)}`).toEqual(new Set([columns[0]]));
		}

		for (const line of help.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
	});
});

describe('wrapWords', () => {
	test('breaks at spaces, and a word longer than the line after its commas', () => {
		expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
		expect(wrapWords('(default RUNNING,REVIEWING,EXECUTING)', 19)).toEqual(['(default RUNNING,', 'REVIEWING,', 'EXECUTING)']);
		expect(wrapWords('unbreakable-word', 5)).toEqual(['unbreakable-word']);
	});
});

describe('the options of issue 16 on the command line', () => {
	test('--no-loop-detection and --cadence-threshold are accepted, and a bad threshold is one line naming it', async () => {
		const jobsDir = makeTempDir('sentinel-help-');
		expect(await runCli(['status', '--json', '--no-loop-detection', '--cadence-threshold', '0', jobsDir])).toMatchObject({code: 0, stderr: ''});
		expect(await runCli(['status', '--json', '--loop-detection', jobsDir])).toMatchObject({code: 0, stderr: ''});
		const bad = await runCli(['status', '--cadence-threshold', 'soon', jobsDir]);
		expect(bad.code).toBe(3);
		expect(bad.stderr.trim()).toMatch(/^sentinel-tui: --cadence-threshold: "soon" is not a whole number$/);
	});
});
