import {confirmationFor, confirmationLines, type ManualAction} from '../../sentinel/act/manual-action.js';
import type {CommandContext} from './command-context.js';

/**
 * `terminate JOB` and `recover JOB`: the dashboard's `x` and `r` from a shell. The same question
 * (the job, its pid and command, what will happen), the same target captured when it is asked,
 * and the same runner's manual path: identity, owner, the job's lock, one action at a time, an
 * audit entry with actor `user`.
 */
export async function recoverOrTerminate(action: ManualAction, context: CommandContext): Promise<number> {
	const {engine, view, requestedFrom} = context;
	const confirmation = confirmationFor(action, view);
	if ('refused' in confirmation) {
		// Nothing to ask about: the runner refuses an invalid job, audited like any manual refusal.
		const target = {jobId: view.job.jobId, dir: view.job.dir, pid: null, processStartMs: null};
		return context.report(await engine.act(action, target, requestedFrom));
	}
	if (context.mustAsk) {
		if (!(await context.confirm(confirmationLines(confirmation, context.separator)))) return context.notDone();
		// An answer may take minutes: look again, so the runner refuses a process that is not the one asked about.
		await engine.tick();
	}
	return context.report(await engine.act(action, confirmation.target, requestedFrom));
}
