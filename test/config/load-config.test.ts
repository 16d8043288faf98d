import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/load-config.js';
import {parseDuration, parseSize} from '../../source/config/units.js';
import {makeTempDir} from '../helpers/temp-dir.js';

function load(flags: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}, home = makeTempDir()) {
	return loadConfig({flags, env, home});
}

describe('units', () => {
	it('reads durations as the spec writes them', () => {
		expect(parseDuration('500ms')).toBe(500);
		expect(parseDuration('90s')).toBe(90_000);
		expect(parseDuration('30m')).toBe(1_800_000);
		expect(parseDuration('1h')).toBe(3_600_000);
		expect(parseDuration('45')).toBe(45_000);
		expect(parseDuration(2)).toBe(2000);
		expect(parseDuration('soon')).toBeNull();
		expect(parseDuration('-5s')).toBeNull();
		expect(parseDuration('')).toBeNull();
		expect(parseDuration('  ')).toBeNull();
	});

	it('reads sizes in powers of 1024, bare numbers as MB', () => {
		expect(parseSize('512MB')).toBe(512 * 2 ** 20);
		expect(parseSize('2GB')).toBe(2 * 2 ** 30);
		expect(parseSize('300')).toBe(300 * 2 ** 20);
		expect(parseSize('lots')).toBeNull();
		expect(parseSize('')).toBeNull();
	});
});

describe('loadConfig', () => {
	it('has the spec defaults', () => {
		const home = makeTempDir();
		const config = load({}, {}, home);
		expect(config).toMatchObject({
			jobsDir: path.join(home, '.local/state/sentinel-tui/jobs'),
			intervalMs: 2000,
			workerTimeoutMs: 30 * 60_000,
			supervisorTimeoutMs: 15 * 60_000,
			criticalTimeoutMs: 60 * 60_000,
			memoryLimitBytes: 1024 * 2 ** 20,
			cpuLimitPercent: 95,
			cpuSamples: 5,
			maxInterventions: 5,
			graceMs: 10_000,
			auto: true,
			dryRun: false,
			onIntervention: null,
			webhook: null,
			monitoredStatuses: ['RUNNING', 'REVIEWING', 'EXECUTING', 'PROVISIONING', 'RECOVERING', 'HARVESTING'],
		});
		expect(config.auditLog).toBe(path.join(config.jobsDir, '.sentinel/audit.jsonl'));
	});

	it('takes the jobs directory from SENTINEL_JOBS_DIR, then LOGIST_JOBS_DIR', () => {
		expect(load({}, {LOGIST_JOBS_DIR: '/srv/logist'}).jobsDir).toBe('/srv/logist');
		expect(load({}, {LOGIST_JOBS_DIR: '/srv/logist', SENTINEL_JOBS_DIR: '/srv/sentinel'}).jobsDir).toBe('/srv/sentinel');
		expect(load({jobsDir: '/srv/flag'}, {SENTINEL_JOBS_DIR: '/srv/sentinel'}).jobsDir).toBe('/srv/flag');
	});

	it('follows output for loops and warns on a broken rhythm at phi 8, unless told otherwise (SPEC sections 11 and 13)', () => {
		expect(load()).toMatchObject({loopDetection: true, cadenceThreshold: 8});
		expect(load({loopDetection: false, cadenceThreshold: '0'})).toMatchObject({loopDetection: false, cadenceThreshold: 0});
		expect(load({}, {SENTINEL_LOOP_DETECTION: 'off', SENTINEL_CADENCE_THRESHOLD: '12'})).toMatchObject({loopDetection: false, cadenceThreshold: 12});
		expect(() => load({cadenceThreshold: 'high'})).toThrow(/^--cadence-threshold: "high" is not a whole number/);
	});

	it('layers file < env < flags', () => {
		const home = makeTempDir();
		const file = path.join(home, 'config.json');
		fs.writeFileSync(file, JSON.stringify({interval: '5s', workerTimeout: '10m', graceMs: undefined, maxInterventions: 9}));
		const config = load({config: file, interval: '1s'}, {SENTINEL_WORKER_TIMEOUT: '20m', SENTINEL_INTERVAL: '3s'}, home);
		expect(config.intervalMs).toBe(1000);
		expect(config.workerTimeoutMs).toBe(20 * 60_000);
		expect(config.maxInterventions).toBe(9);
		expect(config.configFile).toBe(file);
	});

	it('reads the default config file under XDG_CONFIG_HOME', () => {
		const home = makeTempDir();
		fs.mkdirSync(path.join(home, 'cfg/sentinel-tui'), {recursive: true});
		fs.writeFileSync(path.join(home, 'cfg/sentinel-tui/config.json'), JSON.stringify({noAuto: true, memoryLimit: '2GB'}));
		const config = load({}, {XDG_CONFIG_HOME: path.join(home, 'cfg')}, home);
		expect(config.auto).toBe(false);
		expect(config.memoryLimitBytes).toBe(2 * 2 ** 30);
	});

	it.each([
		[{interval: 'soon'}, /^--interval: "soon" is not a duration/],
		[{memoryLimit: 'big'}, /^--memory-limit: "big" is not a size/],
		[{maxInterventions: '2.5'}, /^--max-interventions: /],
		[{cpuSamples: '0'}, /^--cpu-samples: /],
		[{webhook: 'ftp://x'}, /^--webhook: /],
		[{grace: '0s'}, /^--grace: /],
	])('rejects %o with one line naming the option', (flags, message) => {
		let error: unknown;
		try {
			load(flags);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).not.toContain('\n');
	});

	it('rejects a config file that is not JSON, or has an unknown key', () => {
		const home = makeTempDir();
		const broken = path.join(home, 'broken.json');
		fs.writeFileSync(broken, '{"interval": ');
		expect(() => load({config: broken}, {}, home)).toThrow(/^--config: .* is not JSON/);
		const typo = path.join(home, 'typo.json');
		fs.writeFileSync(typo, JSON.stringify({intervall: '2s'}));
		expect(() => load({config: typo}, {}, home)).toThrow(/unknown key "intervall"/);
		expect(() => load({config: path.join(home, 'missing.json')}, {}, home)).toThrow(/^--config: cannot read/);
	});

	it('holds --interval to a floor of 100ms, from any source', () => {
		expect(load({interval: '100ms'}).intervalMs).toBe(100);
		expect(() => load({interval: '1ms'})).toThrow(/^--interval: "1ms" is below the floor of 100ms$/);
		expect(() => load({}, {SENTINEL_INTERVAL: '99ms'})).toThrow(/^--interval: .* below the floor of 100ms$/);
	});

	it('refuses a jobs directory that is a file, and waits for one that does not exist yet', () => {
		const home = makeTempDir();
		const file = path.join(home, 'jobs');
		fs.writeFileSync(file, '');
		expect(() => load({jobsDir: file}, {}, home)).toThrow(/^jobs directory .* is not a directory$/);
		expect(() => load({jobsDir: path.join(file, 'below')}, {}, home)).toThrow(/is not a directory$/);
		expect(load({jobsDir: path.join(home, 'later')}, {}, home).jobsDir).toBe(path.join(home, 'later'));
	});
});
