import type {Confirmation, ManualAction} from '../../sentinel/act/manual-action.js';
import {statusAfter} from '../../sentinel/act/status-transitions.js';
import type {FleetState, JobView} from '../../sentinel/snapshot.js';

/**
 * The fleet view's question before `x` or `r`: it names the host, and the action command that host
 * runs (SPEC section 14), which does the checks of section 5 there, on the process as it is then.
 */
export function fleetConfirmationFor(action: ManualAction, view: JobView, fleet: FleetState): Confirmation | {refused: string} {
	const {job} = view;
	if (!job.valid) return {refused: `${job.jobId} is invalid (${job.error}): never acted on`};
	const host = fleet.hosts.find(candidate => candidate.host === view.host);
	if (!host) return {refused: `${job.jobId}: no host known for it in Prometheus; nothing to send the action to`};
	const status = statusAfter(action, job.status);
	const stop = action === 'terminate' ? `SIGTERM its tree, SIGKILL after grace; status -> ${status}` : `status -> ${status}, then stop its tree`;
	const stale = view.stale ? ' (the host looks down: it may not answer)' : '';
	return {
		action,
		host: host.host,
		target: {jobId: job.jobId, dir: job.dir, pid: job.pid, processStartMs: job.processStartMs},
		command: `runs there: sentinel-tui ${action} ${job.jobId} --jobs-dir ${host.jobsDir} --yes --json`,
		outcome: `its checks first, then ${stop}${stale}`,
	};
}
