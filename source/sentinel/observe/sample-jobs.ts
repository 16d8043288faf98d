import {pushSteady} from '../bounded-history.js';
import {historyLength, sparkLength, type JobState} from '../job-state.js';
import type {SampleTarget, Sampler} from './sampler.js';
import type {ValidJob} from '../../types.js';

/** The shortest window a CPU reading counts over for the busy-hang streak (the interval's floor). */
const minCpuWindowMs = 100;

/** Each job's target, made again only when its record or first sighting changes. */
const targets = new WeakMap<JobState, SampleTarget>();

function targetOf(dir: string, state: JobState, job: ValidJob, pid: number, notAfterMs: number): SampleTarget {
	const known = targets.get(state);
	if (known?.key === dir && known.pid === pid && known.processStartMs === job.processStartMs && known.notAfterMs === notAfterMs && known.ownerUid === job.ownerUid) return known;
	const target = {key: dir, pid, processStartMs: job.processStartMs, notAfterMs, ownerUid: job.ownerUid};
	targets.set(state, target);
	return target;
}

/**
 * One sample of every job's process tree from one scan, kept in each job's state with its bounded
 * histories: the CPU history as long as the busy-hang signal reads (`cpuSamples`, at most
 * `historyLength`), the sparklines as wide as they are drawn. The first time a pid is read, the
 * manifest's mtime is remembered for identity.
 */
export function sampleJobs(sampler: Sampler, states: ReadonlyMap<string, JobState>, now: number, cpuSamples: number): void {
	const cpuKept = Math.min(historyLength, Math.max(1, cpuSamples));
	const sampled: SampleTarget[] = [];
	// Loops over the values, each job keyed by its directory: no array per entry (a for-of over the
	// map makes one), and no arrow made each tick (forEach's), whose compiled code V8 holds weakly.
	for (const state of states.values()) {
		const job = state.record;
		if (!job.valid || job.pid === null) {
			state.sample = null;
			continue;
		}
		state.firstSeenPid ??= {pid: job.pid, manifestMtimeMs: job.manifestMtimeMs, at: now};
		sampled.push(targetOf(job.dir, state, job, job.pid, state.firstSeenPid.manifestMtimeMs));
	}
	const samples = sampler.sample(sampled);
	for (const state of states.values()) {
		const sample = samples.get(state.record.dir);
		if (!sample) continue;
		const windowMs = state.sample ? sample.at - state.sample.at : Infinity;
		state.sample = sample;
		// The busy-hang signal counts trusted samples in a row; a lost process starts it afresh. CPU
		// read over a few ms (a tick brought forward by a threshold or an arrival) is clock-tick
		// noise, 0 % as often as not for a spinner: it neither adds to the streak nor breaks it.
		if (sample.lost) state.cpuHistory = [];
		else if (sample.cpuTrusted && windowMs >= minCpuWindowMs) state.cpuHistory = pushSteady(state.cpuHistory, sample.cpuPercent, cpuKept);
		state.cpuSpark = pushSteady(state.cpuSpark, sample.cpuPercent, sparkLength);
		state.rssSpark = pushSteady(state.rssSpark, sample.rssBytes, sparkLength);
	}
}
