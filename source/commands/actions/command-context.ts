import type {Engine} from '../../sentinel/engine.js';
import type {JobView} from '../../sentinel/snapshot.js';

/** Exit codes of the action commands (SPEC section 14). */
export const exitCodes = {done: 0, failedOrRefused: 1, noTerminal: 2, couldNotCheck: 3} as const;

/** What an action command prints as its result: an audit entry, or a pause's entry of the same shape. */
export type CommandResult = {action: string; job_id: string; result: string; reason: string; [field: string]: unknown};

/** What each action command gets: the engine that read the jobs, the job, and how to talk. */
export type CommandContext = {
	engine: Engine;
	view: JobView;
	/** Without --yes: ask on the terminal first. */
	mustAsk: boolean;
	/** Between the pid and the command in a question (` · `, or ASCII). */
	separator: string;
	/** Where the audit entry's reason says the request came from. */
	requestedFrom: string;
	/** Asks the question (sanitised here); true only on a yes. */
	confirm: (lines: readonly string[]) => Promise<boolean>;
	/** Prints the result (a line, or JSON with --json) and gives the exit code. */
	report: (result: CommandResult) => number;
	/** The operator said No: says so, and gives the exit code. */
	notDone: () => number;
};

/** 0 when the action was done (or, with --dry-run, audited as it would have been); 1 otherwise. */
export function resultExitCode(result: CommandResult): number {
	return result.result === 'ok' || result.result === 'dry-run' ? exitCodes.done : exitCodes.failedOrRefused;
}
