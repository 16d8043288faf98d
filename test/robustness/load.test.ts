// Issue 6, load: 1,000 jobs and a storm of manifest writes at 100 a second. Whatever the watcher
// coalesces or drops, the engine must end up showing exactly what is on disk, keep ticking
// through the storm, and never start a tick while another runs.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {contentKey} from '../../source/jobs/content-key.js';
import type {JobView} from '../../source/sentinel/snapshot.js';
import {startTestEngine} from '../helpers/engine.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

const jobCount = 1000;
const writesPerSecond = 100;
const stormMs = 20_000;
const intervalMs = 500;
const writerPath = fileURLToPath(new URL('storm-writer.mjs', import.meta.url));

type StormSummary = {writes: number; atomic: number; inPlace: number; elapsedMs: number; maxLagMs: number; finalStatus: Record<string, string>};

/** What is on disk now: each job's status and the content key of its manifest's exact bytes. */
function readDisk(jobsDir: string, names: string[]): Map<string, {status: string; key: string}> {
	const disk = new Map<string, {status: string; key: string}>();
	for (const name of names) {
		const bytes = fs.readFileSync(path.join(jobsDir, name, 'job_manifest.json'));
		disk.set(name, {status: (JSON.parse(bytes.toString('utf8')) as {status: string}).status, key: contentKey(bytes)});
	}
	return disk;
}

/** Jobs whose snapshot differs from the disk, each with what differs. */
function mismatches(snapshotJobs: readonly JobView[], disk: Map<string, {status: string; key: string}>): string[] {
	const seen = new Map(snapshotJobs.map(view => [view.job.jobId, view.job]));
	const wrong: string[] = [];
	for (const [name, onDisk] of disk) {
		const job = seen.get(name);
		if (!job) wrong.push(`${name}: missing from the snapshot`);
		else if (!job.valid) wrong.push(`${name}: shown invalid`);
		else if (job.status !== onDisk.status || job.contentKey !== onDisk.key) wrong.push(`${name}: shows ${job.status}, disk says ${onDisk.status}`);
	}
	if (seen.size !== disk.size) wrong.push(`${seen.size} jobs in the snapshot, ${disk.size} on disk`);
	return wrong;
}

describe('1,000 jobs under a storm of manifest writes', () => {
	it(`ends showing exactly what is on disk after ${writesPerSecond} writes a second for ${stormMs / 1000} s`, {timeout: 90_000}, async () => {
		const jobsDir = makeTempDir('sentinel-load-');
		const names = Array.from({length: jobCount}, (_, index) => `job-${String(index).padStart(4, '0')}`);
		// A few jobs have real processes, so the sampler works during the storm too.
		const sleepers = Array.from({length: 5}, () => startProcess('sleep', ['120']));
		for (const [index, name] of names.entries()) {
			const pid = index < sleepers.length ? sleepers[index]!.pid : undefined;
			writeJob(jobsDir, name, {job_id: name, description: `load job ${index}`, status: index % 3 === 0 ? 'PENDING' : 'RUNNING', ...(pid ? {process_id: pid} : {}), history: []});
		}
		const namesFile = path.join(makeTempDir('sentinel-load-names-'), 'names.json');
		fs.writeFileSync(namesFile, JSON.stringify(names));

		const {engine, added, removed, invalid} = await startTestEngine(jobsDir, {interval: `${intervalMs}ms`, noAuto: true, workerTimeout: '1h', criticalTimeout: '2h'});
		expect(added).toHaveLength(jobCount);

		const writer = startProcess(process.execPath, [writerPath, jobsDir, namesFile, String(writesPerSecond), String(stormMs), '6'], {stdio: ['ignore', 'pipe', 'inherit']});
		let output = '';
		writer.stdout!.on('data', chunk => (output += String(chunk)));
		const writerDone = new Promise<number | null>(resolve => writer.once('exit', code => resolve(code)));
		const stormStart = Date.now();
		const tickTimes: number[] = [];
		let lastTick = engine.tickCount;
		const watchTicks = setInterval(() => {
			if (engine.tickCount !== lastTick) {
				lastTick = engine.tickCount;
				tickTimes.push(Date.now());
			}
		}, 20);
		const code = await writerDone;
		const stormEnd = Date.now();
		clearInterval(watchTicks);
		expect(code).toBe(0);
		const summary = JSON.parse(output) as StormSummary;
		expect(summary.writes).toBe((writesPerSecond * stormMs) / 1000);
		// The writer kept its pace: the storm was the storm asked for.
		expect(summary.writes / (summary.elapsedMs / 1000)).toBeGreaterThan(writesPerSecond * 0.95);

		const disk = readDisk(jobsDir, names);
		// The disk holds what the writer last wrote: the comparison below is against the truth.
		for (const [name, status] of Object.entries(summary.finalStatus)) expect(disk.get(name)!.status, name).toBe(status);
		const settleStart = Date.now();
		await waitFor(() => mismatches(engine.getSnapshot().jobs, disk).length === 0, 10_000, 100);
		const settledMs = Date.now() - settleStart;
		expect(mismatches(engine.getSnapshot().jobs, disk)).toEqual([]);

		// Every job announced once, none dropped or wrongly called broken along the way.
		expect(added).toHaveLength(jobCount);
		expect(new Set(added.map(event => event.args[0].jobId)).size).toBe(jobCount);
		expect(removed).toEqual([]);
		expect(invalid.map(event => `${event.args[0].jobId}: ${event.args[0].error}`)).toEqual([]);

		expect(engine.overlaps).toBe(0);
		// Ticks kept coming: no gap in the storm longer than a few intervals.
		const marks = [stormStart, ...tickTimes, stormEnd];
		const gaps = marks.slice(1).map((at, index) => at - marks[index]!);
		const longestGap = Math.max(...gaps);
		expect(tickTimes.length).toBeGreaterThanOrEqual(Math.floor(stormMs / (intervalMs * 3)));
		expect(longestGap).toBeLessThan(intervalMs * 5);

		console.info(
			`load: ${summary.writes} writes (${summary.atomic} atomic, ${summary.inPlace} in place) in ${summary.elapsedMs} ms = ${Math.round(summary.writes / (summary.elapsedMs / 1000))}/s, writer lag max ${summary.maxLagMs} ms; ${tickTimes.length} ticks during the storm, longest gap ${longestGap} ms; settled ${settledMs} ms after the storm`,
		);
	});
});
