import type {JobView, ManualTarget} from '../snapshot.js';
import {rootProcess} from '../observe/root-process.js';
import {statusAfter} from './status-transitions.js';

// What an operator is asked before a manual recover or terminate, and what the answer goes to:
// one source for the dashboard's `x`/`r` and the action commands.

/** The actions the operator can take by hand. */
export type ManualAction = 'terminate' | 'recover';

/** An open confirmation: what the operator saw, and the job and process the action will go to. */
export type Confirmation = {
	action: ManualAction;
	/** Captured when the question was asked; sent to the engine as it was, whatever the job does meanwhile. */
	target: ManualTarget;
	/** The command the job runs, or its root process's name. */
	command: string;
	/** What will happen, in one line. */
	outcome: string;
	/** In the fleet view: the host whose sentinel-tui carries it out; the question names it. */
	host?: string;
};

function outcomeOf(action: ManualAction, view: JobView & {job: {valid: true}}): string {
	// The same table the engine writes by, so the question says exactly what will happen.
	const status = statusAfter(action, view.job.status);
	if (view.job.pid === null) return `status -> ${status}; no process to signal (the job names no pid)`;
	if (view.sample?.lost) return `status -> ${status}; no signal: ${view.sample.lost}`;
	if (action === 'terminate') return `SIGTERM the tree, SIGKILL after grace; status -> ${status}`;
	return `status -> ${status}, then stop the tree (SIGTERM, SIGKILL after grace)`;
}

/** The confirmation for `action` on a job, or why the job cannot take it. */
export function confirmationFor(action: ManualAction, view: JobView): Confirmation | {refused: string} {
	const {job} = view;
	if (!job.valid) return {refused: `${job.jobId} is invalid (${job.error}): never acted on`};
	const root = rootProcess(view.sample);
	return {
		action,
		target: {jobId: job.jobId, dir: job.dir, pid: job.pid, processStartMs: job.processStartMs ?? root?.startTimeMs ?? null},
		command: job.command ?? root?.name ?? 'unknown command',
		outcome: outcomeOf(action, {...view, job}),
	};
}

/** The question's lines, unsanitised: the job (and host), its pid and command (joined by `separator`), what will happen. */
export function confirmationLines({action, target, command, outcome, host}: Confirmation, separator: string): [string, string, string] {
	const verb = action === 'terminate' ? 'Terminate' : 'Recover';
	if (host !== undefined) return [`${verb} job ${target.jobId} on host ${host}?`, command, outcome];
	return [`${verb} job ${target.jobId}?`, `pid ${target.pid ?? '-'}${separator}${command}`, outcome];
}

/** An action's result in one line, as the dashboard's status line and the commands say it. */
export function resultText(entry: {action: string; job_id: string; result: string; reason?: string}): string {
	return `${entry.action} ${entry.job_id}: ${entry.result}${entry.reason ? ` (${entry.reason})` : ''}`;
}
