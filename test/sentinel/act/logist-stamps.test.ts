import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createInterventions} from '../../../source/sentinel/act/intervention-runner.js';
import {startTestEngine} from '../../helpers/engine.js';
import {logistFixtures} from '../../helpers/fixtures.js';
import {agesAsLogistReads} from '../../helpers/logist-reader.js';
import {startProcess, waitFor} from '../../helpers/processes.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';
import {useTimeZone} from '../../helpers/time-zone.js';

// Far from UTC: a naive stamp written in UTC would read as 5.5 hours off, not as a few seconds.
useTimeZone('Asia/Kolkata');

type Manifest = Record<string, any>;

const naiveForm = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The running Logist job of the fixtures, its process a real sleeper, with `extra` fields. */
function logistJob(jobsDir: string, name: string, extra: Manifest): string {
	const manifest = JSON.parse(fs.readFileSync(path.join(logistFixtures, 'test_poststep_job', 'job_manifest.json'), 'utf8')) as Manifest;
	const sleeper = startProcess('sleep', ['60']);
	return writeJob(jobsDir, name, {...manifest, job_id: name, process_id: sleeper.pid, ...extra});
}

function manifestPath(dir: string): string {
	return path.join(dir, 'job_manifest.json');
}

function recovery(dir: string): Manifest | undefined {
	const manifest = JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as Manifest;
	return (manifest['history'] as Manifest[]).find(entry => entry['event'] === 'SENTINEL_RECOVERY');
}

describe('what a recover writes, read back by Logist', () => {
	it('a naive manifest gets a naive local stamp its Python can subtract from datetime.now(); a zoned one keeps its zone', async () => {
		const jobsDir = makeTempDir();
		const naive = logistJob(jobsDir, 'naive', {});
		const python = logistJob(jobsDir, 'python-naive', {updated_at: '2025-11-30T20:45:57.102182'});
		const utc = '2025-11-30T15:15:57.102182+00:00';
		const zoned = logistJob(jobsDir, 'zoned', {created_at: utc, updated_at: utc, history: [{event: 'JOB_STARTED', timestamp: utc}]});
		await startTestEngine(jobsDir, {workerTimeout: '2s', criticalTimeout: '60s', grace: '1s'}, {interventions: createInterventions});

		const dirs = [naive, python, zoned];
		expect(await waitFor(() => dirs.every(dir => recovery(dir) !== undefined), 10_000), 'all three recovered').toBe(true);

		for (const dir of [naive, python]) {
			const stamp = recovery(dir)!['timestamp'] as string;
			expect(stamp).toMatch(naiveForm);
			// Every stamp of the file, Logist's own and the sentinel's, as its Python reads them.
			const ages = agesAsLogistReads(manifestPath(dir), 'naive');
			expect(Math.abs(ages[stamp]!)).toBeLessThan(30);
		}

		const stamp = recovery(zoned)!['timestamp'] as string;
		expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
		expect(Math.abs(agesAsLogistReads(manifestPath(zoned), 'aware')[stamp]!)).toBeLessThan(30);
	});

	it('the reader fails on a zoned stamp in a naive manifest, the fault this guards against', () => {
		const dir = writeJob(makeTempDir(), 'mixed', {history: [{event: 'ERROR', timestamp: '2025-11-30T13:12:10.165520'}, {event: 'SENTINEL_RECOVERY', timestamp: '2025-11-30T07:42:10.165000+00:00'}]});
		expect(() => agesAsLogistReads(manifestPath(dir), 'naive')).toThrow(/can't subtract offset-naive and offset-aware/);
	});
});
