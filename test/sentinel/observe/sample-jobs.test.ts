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
		expect(kept).toBeLessThan(4);
		// A tick right after the last: its reading is noise and changes nothing.
		sampleJobs(sampler, states, Date.now(), 5);
		expect(state.cpuHistory).toHaveLength(kept);
		await pause(250);
		sampleJobs(sampler, states, Date.now(), 5);
		expect(state.cpuHistory).toHaveLength(kept + 1);
	});
});
