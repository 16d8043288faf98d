import {envName, flagName, optionSpecs, type OptionKind, type OptionSpec} from './config/options.js';

/** Columns the help fits in, as printed (meow indents every line by two). */
export const helpWidth = 80;
const indent = 2;
const gutter = 2;
// A left cell wider than this puts its description on the next line, so one long command does
// not push a whole section's descriptions into a narrow strip at the right.
const maxLeft = 40;

/** One line of a two-column section: what is typed, and what it does. */
type Row = readonly [left: string, right: string];

const commands: Row[] = [
	['$ sentinel-tui [jobs-dir]', 'The dashboard (needs a terminal)'],
	['$ sentinel-tui --headless [jobs-dir]', 'The same engine without a screen: JSON lines on stdout'],
	['$ sentinel-tui status [--json] [jobs-dir]', 'One check of every job; exit 0 nothing above low, 1 medium or an invalid job, 2 high or critical, 3 could not check'],
	['$ sentinel-tui run [--id ID] [--role R] [--retries N] -- CMD ...', 'Run CMD as a monitored job'],
	['$ sentinel-tui demo', 'Real misbehaving jobs on short timeouts, in the dashboard'],
	['$ sentinel-tui log [--json] [-f] [--evidence ID]', 'The audit log, readable; --evidence: one action\'s evidence file (exit 1 when there is none)'],
	['$ sentinel-tui fleet --prometheus URL', 'The dashboard over every sentinel Prometheus scrapes: a HOST column, each host\'s last scrape; x, r and p run on the job\'s host through --remote-command'],
	['$ sentinel-tui terminate|recover|pause|resume JOB [--yes] [--json]', 'One manual action on a job (by job_id or folder name), checked and audited as on the dashboard; asks first; exit 0 done, 1 failed or refused, 2 no terminal to ask on, 3 could not check'],
];

const commandOptions: Row[] = [
	['--headless', 'Run the engine without a screen, printing JSON lines'],
	['--json', 'status, log: print JSON instead of a table; the action commands: their result entry'],
	['--yes', 'terminate, recover, pause, resume: act without asking (needed without a terminal)'],
	['-f, --follow', 'log: keep printing new entries until SIGINT or SIGTERM'],
	['--evidence ID', 'log: print the evidence kept before that action\'s stop (its action_id, or 8+ characters of it)'],
	['--id ID', 'run: the job id (default: the command name and a short unique suffix)'],
	['--role R', 'run: worker or supervisor (default worker)'],
	['--retries N', 'run: restarts after the sentinel recovers the job (default 3)'],
];

// What an option's value looks like, by kind; text options each say their own.
const valueNames: Record<OptionKind, string> = {duration: 'TIME', size: 'SIZE', count: 'N', percent: 'PERCENT', flag: '', text: 'TEXT', path: 'FILE'};
const ownValueNames: Record<string, string> = {jobsDir: 'DIR', onIntervention: 'CMD', evidenceCommand: 'CMD', webhook: 'URL', monitoredStatuses: 'LIST', metrics: '[HOST:]PORT', prometheus: 'URL', remoteCommand: 'CMD'};

function optionRow(spec: OptionSpec): Row {
	const value = ownValueNames[spec.name] ?? valueNames[spec.kind];
	const fallback = spec.fallback === undefined || spec.fallback === false ? '' : ` (default ${spec.fallback === true ? 'on' : String(spec.fallback)})`;
	return [`--${flagName(spec.name)}${value ? ` ${value}` : ''}`, `${spec.description}${fallback}`];
}

/** An option's row, and for a flag that is on unless turned off, its negation's (meow reads both). */
function optionRows(spec: OptionSpec): Row[] {
	const row = optionRow(spec);
	return spec.negation ? [row, [`--no-${flagName(spec.name)}`, spec.negation]] : [row];
}

/** `text` broken at spaces into lines of at most `width` columns; a longer word breaks after its commas. */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	const add = (piece: string, spaced: boolean) => {
		const joined = line === '' ? piece : `${line}${spaced ? ' ' : ''}${piece}`;
		if (line !== '' && joined.length > width) {
			lines.push(line);
			line = piece;
		} else {
			line = joined;
		}
	};
	for (const word of text.split(' ')) {
		const pieces = word.length > width ? word.split(/(?<=,)/) : [word];
		pieces.forEach((piece, index) => add(piece, index === 0));
	}
	return [...lines, line];
}

/** A section's rows with every description starting at one column, wrapped under itself. */
export function twoColumns(rows: readonly Row[]): string[] {
	const column = Math.max(...rows.map(([left]) => left.length).filter(width => width <= maxLeft)) + gutter;
	const pad = ' '.repeat(indent + column);
	return rows.flatMap(([left, right]) => {
		const wrapped = wrapWords(right, helpWidth - indent - pad.length);
		const first = left.length + gutter <= column ? [`${' '.repeat(indent)}${left.padEnd(column)}${wrapped.shift()}`] : [`${' '.repeat(indent)}${left}`];
		return [...first, ...wrapped.map(line => pad + line)];
	});
}

/** The --help text, made from the one option table: commands, their flags, then every option. */
export function helpText(): string {
	const options: Row[] = [...(optionSpecs as readonly OptionSpec[]).flatMap(optionRows), ['--version', 'Print the version'], ['-h, --help', 'Print this help']];
	const notes = `Every option is also a config file key (camelCase) and an environment variable (${envName('workerTimeout')}, ...). Precedence: file < env < flags. Durations: 500ms, 90s, 30m, 1h or seconds. Sizes: 512MB, 2GB or MB.`;
	return [
		'An execution sentinel with a live terminal dashboard.',
		'',
		'Usage',
		...twoColumns(commands),
		'',
		'Command options',
		...twoColumns(commandOptions),
		'',
		'Options',
		...twoColumns(options),
		'',
		...wrapWords(notes, helpWidth - indent),
	].join('\n');
}
