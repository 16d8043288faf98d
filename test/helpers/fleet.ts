import fs from 'node:fs';
import os from 'node:os';
import {onTestFinished} from 'vitest';
import {directoryProblem} from '../../source/fleet/plain-label.js';
import {startFleet, type FleetHandle, type FleetOptions} from '../../source/fleet/start-fleet.js';
import type {Snapshot} from '../../source/sentinel/snapshot.js';
import {startPrometheus, type PrometheusServer} from './prometheus.js';
import {startSentinel, type SentinelProcess} from './sentinel-process.js';

/**
 * Whether a jobs directory made in the OS temp dir is a plain label. The fleet refuses every host
 * whose jobs directory is not (SPEC section 14: letters, digits, `._-/`), so where the temp dir's
 * path holds a space the tests that need a host it takes cannot run there, and are skipped.
 */
export const tempDirIsPlain = directoryProblem(fs.realpathSync(os.tmpdir())) === null;

/** One machine of a test fleet: a headless sentinel on its jobs directory, named `host` in Prometheus. */
export type FleetHostProcess = {host: string; jobsDir: string; sentinel: SentinelProcess; address: string};

/**
 * Headless sentinels (`--metrics` on a free loopback port) as hosts of a fleet, each scraped every
 * second by one real Prometheus under its own host name; everything is stopped when the test ends.
 */
export async function startFleetHosts(hosts: ReadonlyArray<{host: string; jobsDir: string}>, sentinelArgs: string[] = ['--interval', '250ms']): Promise<{hosts: FleetHostProcess[]; prometheus: PrometheusServer}> {
	const started = await Promise.all(
		hosts.map(async ({host, jobsDir}) => {
			const sentinel = startSentinel(jobsDir, [...sentinelArgs, '--metrics', '127.0.0.1:0']);
			const line = await sentinel.waitForLine(one => one.type === 'sentinel.started');
			return {host, jobsDir, sentinel, address: line['metrics'] as string};
		}),
	);
	const prometheus = await startPrometheus(started.map(({address, host}) => ({address, host})));
	return {hosts: started, prometheus};
}

/** The fleet view's engine over `prometheus`, stopped when the test ends. */
export function startTestFleet(options: FleetOptions): FleetHandle {
	const fleet = startFleet(options);
	onTestFinished(() => fleet.stop());
	return fleet;
}

/** The first snapshot, now or published later, for which `check` holds; rejects after `timeoutMs` with the last one's gist. */
export function fleetSnapshot(fleet: FleetHandle, check: (snapshot: Snapshot) => boolean, timeoutMs = 20_000): Promise<Snapshot> {
	return new Promise((resolve, reject) => {
		const look = () => {
			const snapshot = fleet.getSnapshot();
			if (!check(snapshot)) return false;
			done();
			resolve(snapshot);
			return true;
		};
		const timer = setTimeout(() => {
			done();
			const snapshot = fleet.getSnapshot();
			const jobs = snapshot.jobs.map(view => `${view.host}/${view.job.jobId}${view.stale ? ' stale' : ''}`);
			reject(new Error(`no such snapshot within ${timeoutMs} ms; last: ${JSON.stringify({fleet: snapshot.fleet, jobs})}`));
		}, timeoutMs);
		const unsubscribe = fleet.subscribe(look);
		const done = () => {
			clearTimeout(timer);
			unsubscribe();
		};
		look();
	});
}
