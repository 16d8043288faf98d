import {thisSentinel} from '../../sentinel/act/audit-entry.js';
import {rootProcess} from '../../sentinel/observe/root-process.js';
import type {CommandContext, CommandResult} from './command-context.js';

/** The question's lines: the job, its status and process, what a pause or resume means. */
function question(paused: boolean, context: CommandContext): string[] {
	const {job, sample} = context.view;
	const command = job.valid ? (job.command ?? rootProcess(sample)?.name) : undefined;
	const facts = job.valid ? [`status ${job.status}`, `pid ${job.pid ?? '-'}`, ...(command ? [command] : [])].join(context.separator) : `invalid: ${job.error}`;
	return paused
		? [`Pause automatic action on job ${job.jobId}?`, facts, 'No sentinel will notify, recover or terminate it on its own until it is resumed; it is still watched.']
		: [`Resume automatic action on job ${job.jobId}?`, facts, 'Sentinels act on it on their own again, as its severity calls for.'];
}

/**
 * `pause JOB` and `resume JOB`: the dashboard's `p`, kept in state.json for every sentinel. Not
 * in the audit log, as `p` is not: the log's actions are notify, recover and terminate (SPEC
 * section 6), and a pause changes no job and signals nothing. Its result has the entry's shape.
 */
export async function pauseOrResume(paused: boolean, context: CommandContext): Promise<number> {
	const {engine, view} = context;
	const {jobId} = view.job;
	const result = (outcome: 'ok' | 'failed', reason: string): CommandResult => ({
		ts: new Date().toISOString(),
		job_id: jobId,
		action: paused ? 'pause' : 'resume',
		actor: 'user',
		result: outcome,
		reason,
		sentinel: thisSentinel,
	});
	if (view.paused === paused) return context.report(result('ok', `automatic action was already ${paused ? 'paused' : 'on'}; nothing changed`));
	if (context.mustAsk && !(await context.confirm(question(paused, context)))) return context.notDone();
	if (await engine.setPaused(jobId, paused)) {
		return context.report(result('ok', `automatic action ${paused ? 'paused' : 'resumed'} for every sentinel on this jobs directory`));
	}
	// The store keeps a change it could not write and tries again when stopping: taken back, so
	// a later write cannot make true what this command reports as not done.
	void engine.setPaused(jobId, !paused);
	return context.report(result('failed', 'state.json could not be written; nothing changed'));
}
