import fs from 'node:fs';
import type {Writable} from 'node:stream';
import type {Config} from '../../config/load-config.js';
import {createInterventions} from '../../sentinel/act/intervention-runner.js';
import {resultText} from '../../sentinel/act/manual-action.js';
import {Engine} from '../../sentinel/engine.js';
import {terminalSafeJson} from '../../text/safe-json.js';
import {sanitize} from '../../text/sanitize.js';
import {glyphsFor} from '../../ui/glyphs.js';
import type {ActionCommand} from './action-names.js';
import {askYesNo} from './ask.js';
import {exitCodes, resultExitCode, type CommandContext} from './command-context.js';
import {findJob} from './find-job.js';
import {pauseOrResume} from './pause-or-resume.js';
import {recoverOrTerminate} from './recover-or-terminate.js';

export type ActionCommandOptions = {
	command: ActionCommand;
	/** JOB as typed: a job_id or a job folder's name; undefined when it was left out. */
	job: string | undefined;
	yes: boolean;
	json: boolean;
	/** Draw the question with ASCII only. */
	ascii: boolean;
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	stdout: Writable;
	stderr: Writable & {isTTY?: boolean};
};

/**
 * `sentinel-tui terminate|recover|pause|resume JOB [--yes] [--json]` (SPEC section 14): one manual
 * action, whether or not a sentinel runs. It reads the jobs directory itself with an engine that
 * never watches and never competes for the leader lock (automatic action off: it acts only when
 * told), takes one tick to read and sample the jobs, and acts through the same runner as the
 * dashboard. Exit 0 done, 1 failed or refused, 2 no terminal to ask on, 3 could not check.
 */
export async function runAction(config: Config, options: ActionCommandOptions): Promise<number> {
	const {command} = options;
	const say = (message: string) => options.stderr.write(`sentinel-tui: ${sanitize(message)}\n`);
	if (!options.job) {
		say(`${command} needs a job: sentinel-tui ${command} JOB [--yes] [--json] (see --help)`);
		return exitCodes.couldNotCheck;
	}
	const canAsk = Boolean(options.stdin.isTTY && options.stderr.isTTY);
	if (!options.yes && !canAsk) {
		say(`${command} asks before it acts, and there is no terminal to ask on: add --yes to act without asking`);
		return exitCodes.noTerminal;
	}
	if (!fs.existsSync(config.jobsDir)) {
		say(`jobs directory ${config.jobsDir} does not exist`);
		return exitCodes.couldNotCheck;
	}

	const engine = new Engine({...config, auto: false}, {watch: false, interventions: port => createInterventions(port)});
	// Notices (a held lock, a future stamp, a failed hook) on stderr, each once; stdout is the result.
	const said = new Set<string>();
	engine.on('notice', ({message}) => {
		if (!said.has(message)) say(message);
		said.add(message);
	});
	try {
		await engine.tick();
		const found = findJob(engine.getSnapshot(), options.job);
		if ('problem' in found) {
			say(found.problem);
			return exitCodes.couldNotCheck;
		}
		const context: CommandContext = {
			engine,
			view: found.view,
			mustAsk: !options.yes,
			separator: glyphsFor(options.ascii).separator,
			requestedFrom: 'the command line',
			confirm: lines => askYesNo(lines.map(sanitize), options.stdin, options.stderr),
			report: result => {
				options.stdout.write(`${options.json ? terminalSafeJson(result) : sanitize(resultText(result))}\n`);
				return resultExitCode(result);
			},
			notDone: () => {
				say(`${command} ${found.view.job.jobId}: not done`);
				return exitCodes.failedOrRefused;
			},
		};
		if (command === 'pause' || command === 'resume') return await pauseOrResume(command === 'pause', context);
		return await recoverOrTerminate(command, context);
	} finally {
		// Lets hooks and a state.json write finish; a stop in its grace period has finished already.
		await engine.stop();
	}
}
