import {pushBounded} from './bounded-history.js';
import {historyLength, sparkLength, type JobState} from './job-state.js';
import type {Sampler} from './sampler.js';

/**
 * One sample of every job's process tree from one scan, kept in each job's state with its bounded
 * histories: the CPU history as long as the busy-hang signal reads (`cpuSamples`, at most
 * `historyLength`), the sparklines as wide as they are drawn. The first time a pid is read, the
 * manifest's mtime is remembered for identity.
 */
export function sampleJobs(sampler: Sampler, states: ReadonlyMap<string, JobState>, now: number, cpuSamples: number): void {
	const cpuKept = Math.min(historyLength, Math.max(1, cpuSamples));
	const targets = [];
	for (const [dir, state] of states) {
		const job = state.record;
		if (!job.valid || job.pid === null) {
			state.sample = null;
			continue;
		}
		state.firstSeenPid ??= {pid: job.pid, manifestMtimeMs: job.manifestMtimeMs, at: now};
		targets.push({key: dir, pid: job.pid, processStartMs: job.processStartMs, notAfterMs: state.firstSeenPid.manifestMtimeMs, ownerUid: job.ownerUid});
	}
	const samples = sampler.sample(targets);
	for (const [dir, state] of states) {
		const sample = samples.get(dir);
		if (!sample) continue;
		state.sample = sample;
		// The busy-hang signal counts trusted samples in a row; a lost process starts it afresh.
		if (sample.cpuTrusted && !sample.lost) state.cpuHistory = pushBounded(state.cpuHistory, sample.cpuPercent, cpuKept);
		else if (sample.lost) state.cpuHistory = [];
		state.cpuSpark = pushBounded(state.cpuSpark, sample.cpuPercent, sparkLength);
		state.rssSpark = pushBounded(state.rssSpark, sample.rssBytes, sparkLength);
	}
}
