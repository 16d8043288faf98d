import type {Config} from '../config/load-config.js';
import type {JobState} from './job-state.js';
import type {Interventions} from './act/interventions.js';
import {rootProcess} from './observe/root-process.js';
import type {JobView, Snapshot} from './snapshot.js';

type SnapshotInput = {
	now: number;
	tick: number;
	config: Config;
	jobsDirExists: boolean;
	states: ReadonlyMap<string, JobState>;
	interventions: Interventions | null;
	watchMode: 'watch' | 'poll';
	notices: readonly string[];
};

function jobView(state: JobState, interventions: Interventions | null): JobView {
	const job = state.record;
	return {
		job,
		sample: state.sample,
		assessment: state.assessment,
		severity: state.assessment?.severity ?? 'ok',
		lastActivityMs: job.valid ? state.lastActivityMs : null,
		cpuHistory: state.cpuSpark,
		rssHistory: state.rssSpark,
		paused: interventions?.isPaused(job.jobId) ?? false,
		startedMs: rootProcess(state.sample)?.startTimeMs ?? null,
	};
}

/** The immutable picture of the world after a tick. */
export function makeSnapshot(input: SnapshotInput): Snapshot {
	const {config, interventions} = input;
	return {
		generatedAt: input.now,
		tick: input.tick,
		jobsDir: config.jobsDir,
		jobsDirExists: input.jobsDirExists,
		jobs: [...input.states.values()].map(state => jobView(state, interventions)),
		auto: interventions?.auto ?? false,
		dryRun: config.dryRun,
		actor: interventions?.actor() ?? {acting: false, leader: null, problem: null},
		interventionsLastHour: interventions?.interventionsLastHour(input.now) ?? 0,
		maxInterventions: config.maxInterventions,
		recentAudit: interventions?.recentAudit() ?? [],
		watchMode: input.watchMode,
		notices: input.notices,
	};
}
