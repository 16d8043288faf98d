import {describe, expect, it} from 'vitest';
import {readManifest} from '../../../source/jobs/read-manifest.js';
import {newJobState} from '../../../source/sentinel/job-state.js';
import {sampleJobs} from '../../../source/sentinel/observe/sample-jobs.js';
import {Sampler} from '../../../source/sentinel/observe/sampler.js';
import {startNode} from '../../helpers/processes.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

describe("a job's CPU history for the busy-hang streak", () => {
	it('counts readings over a tick, never one over a few ms (a tick brought forward), which neither adds nor breaks', async () => {
		const jobsDir = makeTempDir();
		const spinner = startNode('for (;;) {}');
		const dir = writeJob(jobsDir, 'spinner', {job_id: 'spinner', status: 'RUNNING', pid: spinner.pid});
		const state = newJobState(await readManifest(dir, jobsDir));
		const states = new Map([[dir, state]]);
		const sampler = new Sampler();
		const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
		// Readings over a full window are kept (fewer than the five the streak needs).
		for (let tick = 0; tick < 3; tick++) {
			if (tick > 0) await pause(250);
			sampleJobs(sampler, states, Date.now(), 5);
		}
		const kept = state.cpuHistory.length;
		expect(kept).toBeGreaterThanOrEqual(2);
		// A tick right after the last: its reading is noise and changes nothing (a scan slower than
		// the floor, on a loaded machine, is a real window: then try again at once, right after that
		// one; after a pause the next would be a full window again, and never short).
		let short = false;
		for (let attempt = 0; attempt < 5 && !short; attempt++) {
			const before = state.cpuHistory.length;
			const lastAt = state.sample!.at;
			sampleJobs(sampler, states, Date.now(), 5);
			short = state.sample!.at - lastAt < 100;
			if (short) expect(state.cpuHistory).toHaveLength(before);
		}
		expect(short, 'a tick came within 100 ms of the last').toBe(true);
		const settled = state.cpuHistory.length;
		await pause(250);
		sampleJobs(sampler, states, Date.now(), 5);
		expect(state.cpuHistory).toHaveLength(Math.min(settled + 1, 5));
	});
});
