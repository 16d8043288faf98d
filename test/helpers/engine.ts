import {onTestFinished} from 'vitest';
import {loadConfig, type Config} from '../../source/config/load-config.js';
import {Engine, type EngineOptions} from '../../source/sentinel/engine.js';
import type {EngineEvents} from '../../source/sentinel/engine-events.js';
import {makeTempDir} from './temp-dir.js';

/** A config for tests: short timeouts, no user config file or environment. */
export function testConfig(jobsDir: string, flags: Record<string, unknown> = {}): Config {
	return loadConfig({flags: {jobsDir, interval: '250ms', ...flags}, env: {}, home: makeTempDir('sentinel-home-')});
}

export type Recorded<K extends keyof EngineEvents> = {at: number; args: EngineEvents[K]};

/** An engine on `jobsDir`, started, stopped when the test ends; its events recorded with times. */
export async function startTestEngine(jobsDir: string, flags: Record<string, unknown> = {}, options: EngineOptions = {}) {
	const engine = new Engine(testConfig(jobsDir, flags), options);
	const events: {[K in keyof EngineEvents]?: Array<Recorded<K>>} = {};
	const record = <K extends keyof EngineEvents>(name: K) => {
		const list: Array<Recorded<K>> = [];
		events[name] = list as never;
		engine.on(name, ((...args: EngineEvents[K]) => list.push({at: Date.now(), args})) as never);
		return list;
	};
	const recorded = {
		added: record('job.added'),
		invalid: record('job.invalid'),
		removed: record('job.removed'),
		assessments: record('assessment'),
		interventions: record('intervention'),
		errors: record('notice'),
	};
	onTestFinished(() => engine.stop());
	await engine.start();
	return {engine, ...recorded};
}
