import fs from 'node:fs';
import path from 'node:path';
import {EventEmitter} from 'node:events';
import {PassThrough} from 'node:stream';
import {describe, expect, test} from 'vitest';
import {runCommand} from '../../source/commands/run/run.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {agesAsLogistReads} from '../helpers/logist-reader.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {useTimeZone} from '../helpers/time-zone.js';

// Far from UTC: a naive stamp written in UTC would read as 5.5 hours off, not as a few seconds.
useTimeZone('Asia/Kolkata');

type Manifest = Record<string, any>;

const naiveForm = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

async function run(jobsDir: string, id: string): Promise<Manifest> {
	const exit = await runCommand({jobsDir, id, role: 'worker', retries: 0, command: ['true'], stdout: new PassThrough(), stderr: new PassThrough(), signals: new EventEmitter()});
	expect(exit).toBe(0);
	return JSON.parse(fs.readFileSync(path.join(jobsDir, id, 'job_manifest.json'), 'utf8')) as Manifest;
}

/** The stamps of the run: updated_at and the history entries after the first `kept` ones. */
function runStamps(manifest: Manifest, kept = 0): string[] {
	return [manifest['updated_at'], ...(manifest['history'] as Manifest[]).slice(kept).map(entry => entry['timestamp'])];
}

describe('sentinel-tui run: the stamps it writes', () => {
	test('a new job gets naive local stamps, as Logist writes them, that its Python reads as just now', async () => {
		const jobsDir = makeTempDir();
		const manifest = await run(jobsDir, 'fresh');
		const stamps = [manifest['created_at'], ...runStamps(manifest)];
		expect(stamps).toHaveLength(4);
		for (const stamp of stamps) expect(stamp).toMatch(naiveForm);
		const ages = agesAsLogistReads(path.join(jobsDir, 'fresh', 'job_manifest.json'), 'naive');
		for (const stamp of stamps) expect(Math.abs(ages[stamp]!)).toBeLessThan(30);
	});

	test('a Logist job taken over (--id) stays naive throughout', async () => {
		const jobsDir = makeTempDir();
		writeJob(jobsDir, 'test-job', fs.readFileSync(path.join(logistFixtures, 'test_error_job_sim', 'job_manifest.json'), 'utf8'));
		const manifest = await run(jobsDir, 'test-job');
		expect(manifest['created_at']).toMatch(naiveForm);
		for (const stamp of runStamps(manifest, 1)) expect(stamp).toMatch(naiveForm);
		expect(() => agesAsLogistReads(path.join(jobsDir, 'test-job', 'job_manifest.json'), 'naive')).not.toThrow();
	});

	test('a zoned job taken over keeps its zone and its created_at', async () => {
		const jobsDir = makeTempDir();
		const created = '2025-11-30T07:42:10.165520+00:00';
		writeJob(jobsDir, 'zoned', {job_id: 'zoned', status: 'SUCCESS', created_at: created, updated_at: created, history: [{event: 'JOB_STARTED', timestamp: created}]});
		const manifest = await run(jobsDir, 'zoned');
		expect(manifest['created_at']).toBe(created);
		const stamps = runStamps(manifest, 1);
		expect(stamps).toHaveLength(3);
		for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
		const ages = agesAsLogistReads(path.join(jobsDir, 'zoned', 'job_manifest.json'), 'aware');
		for (const stamp of stamps) expect(Math.abs(ages[stamp]!)).toBeLessThan(30);
	});
});
