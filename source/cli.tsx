import meow from 'meow';
import {ConfigError, loadConfig, type Config} from './config/load-config.js';
import {configFlags, emptyFlag, meowFlags, unknownFlag} from './cli-flags.js';
import {helpText} from './help-text.js';
import {startEngine} from './commands/start-engine.js';
import {bindMetrics} from './commands/serve-metrics.js';
import {restoreCaCerts} from './runtime/ca-certs-handoff.js';
import {actionCommands, isActionCommand} from './commands/actions/action-names.js';
import type {DashboardEnd} from './commands/dashboard.js';

// Before any command starts: they get the operator's environment as it was.
restoreCaCerts();

// React's development build costs several times the CPU of a frame; React and Ink are loaded
// below only by dynamic import, after this line.
process.env['NODE_ENV'] ??= 'production';

const commands = new Set<string>(['status', 'run', 'demo', 'log', 'fleet', ...actionCommands]);

// `run -- CMD ...`: everything after the first `--` is the command, untouched by flag parsing.
const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
const ownArgs = separator === -1 ? argv : argv.slice(0, separator);
const commandArgs = separator === -1 ? [] : argv.slice(separator + 1);

function fail(message: string, code: number): never {
	process.stderr.write(`sentinel-tui: ${message}\n`);
	process.exit(code);
}

function parseArguments() {
	try {
		// meow re-indents the help text whenever it is given (some 20 ms of every start): give it
		// only when it may be printed.
		const wantsHelp = ownArgs.includes('--help') || ownArgs.includes('-h');
		return meow(wantsHelp ? helpText() : '', {
			importMeta: import.meta,
			argv: ownArgs,
			flags: meowFlags(),
			allowUnknownFlags: true,
			booleanDefault: undefined,
			description: false,
		});
	} catch (error) {
		// meow throws on a flag given twice: a bad flag like any other, before the command is known.
		fail((error as Error).message, ownArgs.some(arg => arg === 'status' || isActionCommand(arg)) ? 3 : 2);
	}
}

const cli = parseArguments();
const [first, ...rest] = cli.input;
const command = first && commands.has(first) ? first : null;
const positional = command ? rest : cli.input;
// An action command's argument is its job; its jobs directory comes from --jobs-dir and the rest.
const acting = isActionCommand(command);
const badFlagExit = command === 'status' || acting ? 3 : 2;

function configure(): Config {
	const unknown = unknownFlag(cli.flags);
	if (unknown) fail(`unknown option ${unknown} (see --help)`, badFlagExit);
	if (positional.length > 1) fail(`unexpected argument "${positional[1]}" (see --help)`, badFlagExit);
	const flags = configFlags(cli.flags);
	const empty = emptyFlag(flags);
	if (empty) fail(`${empty} needs a value (see --help)`, badFlagExit);
	if (positional[0] && !acting) flags['jobsDir'] = positional[0];
	try {
		return loadConfig({flags});
	} catch (error) {
		if (error instanceof ConfigError) fail(error.message, badFlagExit);
		throw error;
	}
}

/** ASCII with --ascii, or when the locale is not UTF-8. */
function wantsAscii(config: Config): boolean {
	if (config.ascii) return true;
	const locale = process.env['LC_ALL'] || process.env['LC_CTYPE'] || process.env['LANG'] || '';
	return !/utf-?8/i.test(locale);
}

async function main(): Promise<number> {
	const config = configure();
	switch (command) {
		case 'status': {
			const {runStatus} = await import('./commands/status/status.js');
			return runStatus(config, {json: Boolean(cli.flags.json), stdout: process.stdout, stderr: process.stderr});
		}
		case 'log': {
			const {runLog} = await import('./commands/log.js');
			const evidence = typeof cli.flags.evidence === 'string' ? cli.flags.evidence : undefined;
			return runLog({auditLog: config.auditLog, json: Boolean(cli.flags.json), follow: Boolean(cli.flags.follow), stdout: process.stdout, evidence});
		}
		case 'run': {
			const {runFromCli} = await import('./commands/run/run-cli.js');
			const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
			return runFromCli(config, {id: text(cli.flags.id), role: text(cli.flags.role), retries: text(cli.flags.retries), command: commandArgs}, fail);
		}
		case 'terminate':
		case 'recover':
		case 'pause':
		case 'resume': {
			const {runAction} = await import('./commands/actions/run-action.js');
			const flags = {yes: Boolean(cli.flags.yes), json: Boolean(cli.flags.json), ascii: wantsAscii(config)};
			return runAction(config, {command, job: positional[0], ...flags, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr});
		}
		case 'fleet': {
			// The fleet has no jobs directory of its own: a positional argument is a mistake, not one.
			if (positional[0]) fail(`unexpected argument "${positional[0]}" (see --help)`, 2);
			const {fleetConfigProblem, runFleet} = await import('./commands/fleet.js');
			const problem = fleetConfigProblem(config);
			if (problem) fail(problem, 2);
			needTerminal('the fleet view needs a terminal; `sentinel-tui status` on a host checks its jobs from a script');
			return afterDashboard(await runFleet(config, {ascii: wantsAscii(config)}));
		}
		case 'demo': {
			const {runDemo} = await import('./commands/demo/demo.js');
			return runDemo(config, {ascii: wantsAscii(config)});
		}
		default: {
			// Only when asked for: meow normalises package.json when it is first asked for it (~20 ms,
			// some of it ICU's collator), which the dashboard's start need not wait for.
			const version = () => cli.pkg.version ?? '0.0.0';
			if (cli.flags.headless) {
				const {runHeadless} = await import('./commands/headless/headless.js');
				const metrics = await bindMetrics(config, fail);
				const engine = startEngine(config);
				metrics?.attach(engine, version());
				const code = await runHeadless(engine, process.stdout, version(), metrics?.address);
				await metrics?.close();
				return code;
			}
			needTerminal('the dashboard needs a terminal; use --headless for JSON lines, or `sentinel-tui status` for one check');
			const {runDashboard} = await import('./commands/dashboard.js');
			const metrics = await bindMetrics(config, fail);
			const engine = startEngine(config);
			metrics?.attach(engine, version());
			void engine.start();
			const end = await runDashboard(engine, {ascii: wantsAscii(config)});
			await metrics?.close();
			return afterDashboard(end);
		}
	}
}

function needTerminal(message: string): void {
	if (!process.stdin.isTTY || !process.stdout.isTTY) fail(message, 2);
}

function afterDashboard(end: DashboardEnd): number {
	// After an SSH drop, Node 20 aborts at exit restoring the vanished terminal unless it dies
	// by the signal itself (nodejs/node#51519); the engine has finished its work by now.
	if (end === 'SIGHUP') process.kill(process.pid, 'SIGHUP');
	return 0;
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		// One line for the operator; the stack only when asked for (SENTINEL_DEBUG=1).
		const text = process.env['SENTINEL_DEBUG'] ? (error as Error)?.stack : (error as Error)?.message;
		process.stderr.write(`sentinel-tui: ${(text ?? String(error)).trim()}\n`);
		process.exitCode = 1;
	},
);
