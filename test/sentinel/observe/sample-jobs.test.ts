import {describe, expect, it} from 'vitest';
import {readManifest} from '../../../source/jobs/read-manifest.js';
import {newJobState} from '../../../source/sentinel/job-state.js';
import {sampleJobs} from '../../../source/sentinel/observe/sample-jobs.js';
import {scanProcesses, type ProcessTable} from '../../../source/sentinel/observe/process-table.js';
import {Sampler, type SampleTarget} from '../../../source/sentinel/observe/sampler.js';
import type {TreeSample} from '../../../source/types.js';
import {startNode} from '../../helpers/processes.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

/** A sampler whose next scan can be dated `ms` after `after` (the last scan's time): the clock is all that is faked. */
class DatedSampler extends Sampler {
	dateNext: {after: number; ms: number} | null = null;

	override sample(targets: readonly SampleTarget[], table?: ProcessTable): Map<string, TreeSample> {
		const dated = this.dateNext;
		this.dateNext = null;
		if (!dated) return super.sample(targets, table);
		const scan = table ?? scanProcesses();
		// Both clocks moved back alike, so CPU is read over the dated window.
		const shift = scan.scannedAt - (dated.after + dated.ms);
		scan.scannedAt -= shift;
		if (scan.monotonicMs !== undefined) scan.monotonicMs -= shift;
		return super.sample(targets, scan);
	}
}

describe("a job's CPU history for the busy-hang streak", () => {
	it('counts readings over a tick, never one over a few ms (a tick brought forward), which neither adds nor breaks', async () => {
		const jobsDir = makeTempDir();
		const spinner = startNode('for (;;) {}');
		const dir = writeJob(jobsDir, 'spinner', {job_id: 'spinner', status: 'RUNNING', pid: spinner.pid});
		const state = newJobState(await readManifest(dir, jobsDir));
		const states = new Map([[dir, state]]);
		const sampler = new DatedSampler();
		const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
		// Readings over a full window are kept (fewer than the five the streak needs).
		for (let tick = 0; tick < 3; tick++) {
			if (tick > 0) await pause(250);
			sampleJobs(sampler, states, Date.now(), 5);
		}
		const kept = state.cpuHistory.length;
		expect(kept).toBeGreaterThanOrEqual(2);
		// A tick right after the last: its reading is noise and changes nothing. Its scan is dated
		// 5 ms after the last one: on a loaded machine a scan alone can take over 100 ms, and two
		// scans in a row are then a real window.
		const before = state.cpuHistory.length;
		const lastAt = state.sample!.at;
		sampler.dateNext = {after: lastAt, ms: 5};
		sampleJobs(sampler, states, Date.now(), 5);
		expect(state.sample!.at - lastAt).toBe(5);
		expect(state.cpuHistory).toHaveLength(before);
		const settled = state.cpuHistory.length;
		await pause(250);
		sampleJobs(sampler, states, Date.now(), 5);
		expect(state.cpuHistory).toHaveLength(Math.min(settled + 1, 5));
	});
});
