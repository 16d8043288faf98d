import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {parseMetricsAddress, type MetricsAddress} from '../metrics/metrics-address.js';
import {envName, flagName, optionSpecs, type OptionSpec} from './options.js';
import {parseDuration, parseSize} from './units.js';

export type Config = {
	jobsDir: string;
	/** The config file that was read, or null. */
	configFile: string | null;
	intervalMs: number;
	workerTimeoutMs: number;
	supervisorTimeoutMs: number;
	criticalTimeoutMs: number;
	memoryLimitBytes: number;
	cpuLimitPercent: number;
	cpuSamples: number;
	maxInterventions: number;
	graceMs: number;
	/** False with --no-auto: assess and show, never act. */
	auto: boolean;
	dryRun: boolean;
	onIntervention: string | null;
	webhook: string | null;
	/** `--evidence-command`: run before each stop with `{pid}`, its output kept in the evidence file (SPEC section 15). */
	evidenceCommand: string | null;
	auditLog: string;
	/** Upper-case statuses that are monitored. */
	monitoredStatuses: string[];
	ascii: boolean;
	/** False with --no-loop-detection: every write to an output file is activity (SPEC section 11). */
	loopDetection: boolean;
	/** phi at which the cadence signal is medium; 0: no cadence signal (SPEC section 13). */
	cadenceThreshold: number;
	/** Where `--metrics` serves (headless and the dashboard), or null. */
	metrics: MetricsAddress | null;
	/** `fleet --prometheus`: the Prometheus server's base URL, or null. */
	prometheus: string | null;
	/** `fleet --remote-command`: the template that reaches a host, `{host}` in it. */
	remoteCommand: string;
};

/** A bad option value: its message is one line naming the option. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Raw values as given: flags, environment or file; anything not given is undefined. */
export type RawOptions = Partial<Record<string, unknown>>;

type Sources = {
	flags: RawOptions;
	env?: NodeJS.ProcessEnv;
	home?: string;
};

const configFileSchema = z.record(z.string(), z.unknown());

function defaultConfigFile(env: NodeJS.ProcessEnv, home: string): string {
	const base = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
	return path.join(base, 'sentinel-tui', 'config.json');
}

function defaultJobsDir(env: NodeJS.ProcessEnv, home: string): string {
	const base = env['XDG_STATE_HOME'] || path.join(home, '.local', 'state');
	return path.join(base, 'sentinel-tui', 'jobs');
}

function readConfigFile(file: string, explicit: boolean): RawOptions {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
		throw new ConfigError(`--config: cannot read ${file}: ${(error as Error).message}`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`--config: ${file} is not JSON: ${(error as Error).message}`);
	}
	const result = configFileSchema.safeParse(parsed);
	if (!result.success) throw new ConfigError(`--config: ${file} must hold a JSON object`);
	const known = new Set<string>(optionSpecs.map(spec => spec.name));
	for (const key of Object.keys(result.data)) {
		if (!known.has(key) || key === 'config') throw new ConfigError(`--config: ${file} has an unknown key "${key}"`);
	}
	return result.data;
}

function readEnv(env: NodeJS.ProcessEnv): RawOptions {
	const raw: RawOptions = {};
	for (const spec of optionSpecs) {
		const value = env[envName(spec.name)];
		if (value !== undefined && value !== '') raw[spec.name] = value;
	}
	if (raw['jobsDir'] === undefined && env['LOGIST_JOBS_DIR']) raw['jobsDir'] = env['LOGIST_JOBS_DIR'];
	return raw;
}

/** The shortest interval between ticks. */
export const intervalFloorMs = 100;

function describe(value: unknown): string {
	return JSON.stringify(value) ?? String(value);
}

function convert(spec: OptionSpec, value: unknown): number | boolean | string {
	const option = `--${flagName(spec.name)}`;
	switch (spec.kind) {
		case 'duration': {
			const parsed = parseDuration(value);
			if (parsed === null || parsed <= 0) throw new ConfigError(`${option}: ${describe(value)} is not a duration (try 500ms, 90s, 30m, 1h or seconds)`);
			return parsed;
		}
		case 'size': {
			const parsed = parseSize(value);
			if (parsed === null || parsed <= 0) throw new ConfigError(`${option}: ${describe(value)} is not a size (try 512MB, 2GB or MB)`);
			return parsed;
		}
		case 'count': {
			const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
			if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`${option}: ${describe(value)} is not a whole number`);
			return parsed;
		}
		case 'percent': {
			const parsed = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(value) ? Number.parseFloat(value) : value;
			if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) throw new ConfigError(`${option}: ${describe(value)} is not a percentage above 0`);
			return parsed;
		}
		case 'flag': {
			if (typeof value === 'boolean') return value;
			if (typeof value === 'string' && /^(1|true|yes|on)$/i.test(value)) return true;
			if (typeof value === 'string' && /^(0|false|no|off)$/i.test(value)) return false;
			throw new ConfigError(`${option}: ${describe(value)} is not true or false`);
		}
		case 'text':
		case 'path': {
			if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${option}: ${describe(value)} is not a non-empty string`);
			return value;
		}
	}
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** Why an existing path cannot be the jobs directory; null when it is a folder or does not exist yet (it is watched for). */
function whyNotDirectory(dir: string): string | null {
	try {
		const stats = fs.statSync(dir, {throwIfNoEntry: false});
		return stats && !stats.isDirectory() ? 'is not a directory' : null;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOTDIR' ? 'is not a directory' : `cannot be looked at (${code ?? (error as Error).message})`;
	}
}

function expandHome(value: string, home: string): string {
	return value === '~' || value.startsWith('~/') ? path.join(home, value.slice(1)) : value;
}

/** Defaults < config file < environment < flags; throws ConfigError naming the first bad option. */
export function loadConfig({flags, env = process.env, home = os.homedir()}: Sources): Config {
	const envValues = readEnv(env);
	const explicitFile = (flags['config'] ?? envValues['config']) as string | undefined;
	const configFile = explicitFile ? path.resolve(expandHome(explicitFile, home)) : defaultConfigFile(env, home);
	const fileValues = readConfigFile(configFile, Boolean(explicitFile));
	const values: Record<string, number | boolean | string | undefined> = {};
	for (const spec of optionSpecs as readonly OptionSpec[]) {
		const given = flags[spec.name] ?? envValues[spec.name] ?? fileValues[spec.name];
		const value = given ?? spec.fallback;
		values[spec.name] = value === undefined ? undefined : convert(spec, value);
	}
	const jobsDir = path.resolve(expandHome((values['jobsDir'] as string | undefined) ?? defaultJobsDir(env, home), home));
	const webhook = (values['webhook'] as string | undefined) ?? null;
	if (webhook !== null && !/^https?:\/\/\S+$/.test(webhook)) throw new ConfigError(`--webhook: ${describe(webhook)} is not an http(s) URL`);
	const cpuSamples = values['cpuSamples'] as number;
	if (cpuSamples < 1) throw new ConfigError('--cpu-samples: must be at least 1');
	// Faster ticks sample nothing new and burn a core on /proc.
	if ((values['interval'] as number) < intervalFloorMs) throw new ConfigError(`--interval: ${describe(flags['interval'] ?? envValues['interval'] ?? fileValues['interval'])} is below the floor of ${intervalFloorMs}ms`);
	// A file where the jobs directory should be is a mistake to say now, not a blind sentinel.
	const notDirectory = whyNotDirectory(jobsDir);
	if (notDirectory) throw new ConfigError(`jobs directory ${jobsDir} ${notDirectory}`);
	const metrics = values['metrics'] === undefined ? null : parseMetricsAddress(values['metrics'] as string);
	if (metrics && 'error' in metrics) throw new ConfigError(`--metrics: ${describe(values['metrics'])} ${metrics.error}`);
	const prometheus = (values['prometheus'] as string | undefined) ?? null;
	if (prometheus !== null && !isHttpUrl(prometheus)) throw new ConfigError(`--prometheus: ${describe(prometheus)} is not an http(s) URL (try http://prometheus:9090)`);
	const monitoredStatuses = (values['monitoredStatuses'] as string).split(',').map(status => status.trim().toUpperCase()).filter(Boolean);
	return {
		jobsDir,
		configFile: fs.existsSync(configFile) ? configFile : null,
		intervalMs: values['interval'] as number,
		workerTimeoutMs: values['workerTimeout'] as number,
		supervisorTimeoutMs: values['supervisorTimeout'] as number,
		criticalTimeoutMs: values['criticalTimeout'] as number,
		memoryLimitBytes: values['memoryLimit'] as number,
		cpuLimitPercent: values['cpuLimit'] as number,
		cpuSamples,
		maxInterventions: values['maxInterventions'] as number,
		graceMs: values['grace'] as number,
		auto: !(values['noAuto'] as boolean),
		dryRun: values['dryRun'] as boolean,
		onIntervention: (values['onIntervention'] as string | undefined) ?? null,
		webhook,
		evidenceCommand: (values['evidenceCommand'] as string | undefined) ?? null,
		auditLog: path.resolve(expandHome((values['auditLog'] as string | undefined) ?? path.join(jobsDir, '.sentinel', 'audit.jsonl'), home)),
		monitoredStatuses,
		ascii: values['ascii'] as boolean,
		loopDetection: values['loopDetection'] as boolean,
		cadenceThreshold: values['cadenceThreshold'] as number,
		metrics,
		prometheus,
		remoteCommand: values['remoteCommand'] as string,
	};
}
