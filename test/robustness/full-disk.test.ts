// Issue 6, full disk: the jobs directory on a tiny tmpfs, filled up, with a hung job to recover.
// The failed write must be reported and leave the old manifest whole, monitoring must go on, and
// once space is freed the recovery must happen on a later tick.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createInterventions} from '../../source/sentinel/act/intervention-runner.js';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import {startTestEngine} from '../helpers/engine.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {writeJob} from '../helpers/temp-dir.js';
import {fillUp, mountTmpfs} from '../helpers/tmpfs.js';

describe('a jobs directory on a full disk', () => {
	it('reports the failed write, keeps the old manifest whole, goes on monitoring, and recovers once space is freed', {timeout: 30_000}, async ({skip}) => {
		// Mounted first, so it is unmounted last: after the engine and the processes are gone.
		const mount = mountTmpfs('256k');
		if ('problem' in mount) {
			console.warn(`full-disk test skipped: it mounts a tmpfs, which needs root (${mount.problem})`);
			return skip(`cannot mount a tmpfs: ${mount.problem}`);
		}
		const jobsDir = mount.dir;
		const longAgo = new Date(Date.now() - 10 * 60_000);
		const sleeper = startProcess('sleep', ['300']);
		const pid = sleeper.pid!;
		const stuckDir = writeJob(jobsDir, 'stuck', {
			job_id: 'stuck',
			status: 'RUNNING',
			process_id: pid,
			process_start: new Date(readProcess(pid)!.startTimeMs).toISOString(),
			last_activity: longAgo.toISOString(),
			history: [],
		});
		const manifestPath = path.join(stuckDir, 'job_manifest.json');
		fs.utimesSync(manifestPath, longAgo, longAgo);
		// A second job, silent from now on: its severity climbs while the disk is full, so assessments must go on.
		writeJob(jobsDir, 'canary', {job_id: 'canary', status: 'RUNNING', last_activity: new Date().toISOString(), sentinel: {timeout: '6s'}});
		const before = fs.readFileSync(manifestPath);
		const filler = path.join(jobsDir, 'filler.bin');
		const filled = fillUp(filler);
		expect(() => fs.writeFileSync(path.join(jobsDir, 'probe'), 'x'.repeat(8192))).toThrow(/ENOSPC/);
		fs.rmSync(path.join(jobsDir, 'probe'), {force: true});

		const {engine, interventions, errors, assessments} = await startTestEngine(
			jobsDir,
			{interval: '250ms', workerTimeout: '1m', criticalTimeout: '1h', grace: '1s'},
			{interventions: createInterventions},
		);
		const failure = () =>
			interventions.find(event => event.args[0].entry.job_id === 'stuck' && event.args[0].entry.result === 'failed') ??
			errors.find(event => event.args[0].message.includes('stuck'));
		expect(await waitFor(() => failure() !== undefined, 5000)).toBe(true);
		const failedAt = Date.now();
		const ticksAtFailure = engine.tickCount;
		const reported = [...interventions.map(event => event.args[0].entry.reason), ...errors.map(event => event.args[0].message)].join('\n');
		expect(reported).toMatch(/ENOSPC|no space/i);

		// Monitoring goes on while the disk stays full: ticks, and the canary's climb to low.
		expect(await waitFor(() => engine.tickCount >= ticksAtFailure + 3 && assessments.some(event => event.args[0].jobId === 'canary' && event.args[0].severity === 'low'), 8000)).toBe(true);
		expect(fs.existsSync(filler)).toBe(true);
		// Nothing was half done: the manifest is byte for byte the old one, no temporary file or torn backup is left, and no signal was sent.
		expect(fs.readFileSync(manifestPath).equals(before)).toBe(true);
		const leftovers = fs.readdirSync(stuckDir).filter(name => name.startsWith('.sentinel-tmp-'));
		expect(leftovers).toEqual([]);
		const backups = path.join(stuckDir, '.backups');
		for (const name of fs.existsSync(backups) ? fs.readdirSync(backups) : []) expect(fs.readFileSync(path.join(backups, name)).equals(before), name).toBe(true);
		expect(readProcess(pid)?.state).not.toBe('Z');
		expect(engine.overlaps).toBe(0);

		// Space again: the recovery happens on a later tick.
		const ticksWhileFull = engine.tickCount - ticksAtFailure;
		fs.rmSync(filler);
		const freedAt = Date.now();
		const recovered = () => interventions.find(event => event.args[0].entry.job_id === 'stuck' && event.args[0].entry.action === 'recover' && event.args[0].entry.result === 'ok');
		expect(await waitFor(() => recovered() !== undefined, 8000), reported).toBe(true);
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {status: string; history: {event: string}[]};
		expect(manifest.status).toBe('PENDING');
		expect(manifest.history.filter(entry => entry.event.startsWith('SENTINEL_')).map(entry => entry.event)).toEqual(['SENTINEL_RECOVERY']);
		expect(await waitFor(() => readProcess(pid) === null || readProcess(pid)!.state === 'Z', 3000)).toBe(true);
		// The attempts that changed nothing while the disk was full did not use up the hourly limit.
		expect(engine.interventions!.interventionsLastHour(Date.now())).toBe(1);
		console.info(
			`full disk: filler ${filled} bytes; failure reported, ${ticksWhileFull} ticks while full (${freedAt - failedAt} ms); recovered ${recovered()!.at - freedAt} ms after space was freed`,
		);
	});
});
