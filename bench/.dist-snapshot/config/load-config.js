import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { envName, flagName, optionSpecs } from './options.js';
import { parseDuration, parseSize } from './units.js';
/** A bad option value: its message is one line naming the option. */
export class ConfigError extends Error {
    name = 'ConfigError';
}
const configFileSchema = z.record(z.string(), z.unknown());
function defaultConfigFile(env, home) {
    const base = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
    return path.join(base, 'sentinel-tui', 'config.json');
}
function defaultJobsDir(env, home) {
    const base = env['XDG_STATE_HOME'] || path.join(home, '.local', 'state');
    return path.join(base, 'sentinel-tui', 'jobs');
}
function readConfigFile(file, explicit) {
    let text;
    try {
        text = fs.readFileSync(file, 'utf8');
    }
    catch (error) {
        if (!explicit && error.code === 'ENOENT')
            return {};
        throw new ConfigError(`--config: cannot read ${file}: ${error.message}`);
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        throw new ConfigError(`--config: ${file} is not JSON: ${error.message}`);
    }
    const result = configFileSchema.safeParse(parsed);
    if (!result.success)
        throw new ConfigError(`--config: ${file} must hold a JSON object`);
    const known = new Set(optionSpecs.map(spec => spec.name));
    for (const key of Object.keys(result.data)) {
        if (!known.has(key) || key === 'config')
            throw new ConfigError(`--config: ${file} has an unknown key "${key}"`);
    }
    return result.data;
}
function readEnv(env) {
    const raw = {};
    for (const spec of optionSpecs) {
        const value = env[envName(spec.name)];
        if (value !== undefined && value !== '')
            raw[spec.name] = value;
    }
    if (raw['jobsDir'] === undefined && env['LOGIST_JOBS_DIR'])
        raw['jobsDir'] = env['LOGIST_JOBS_DIR'];
    return raw;
}
function describe(value) {
    return JSON.stringify(value) ?? String(value);
}
function convert(spec, value) {
    const option = `--${flagName(spec.name)}`;
    switch (spec.kind) {
        case 'duration': {
            const parsed = parseDuration(value);
            if (parsed === null || parsed <= 0)
                throw new ConfigError(`${option}: ${describe(value)} is not a duration (try 500ms, 90s, 30m, 1h or seconds)`);
            return parsed;
        }
        case 'size': {
            const parsed = parseSize(value);
            if (parsed === null || parsed <= 0)
                throw new ConfigError(`${option}: ${describe(value)} is not a size (try 512MB, 2GB or MB)`);
            return parsed;
        }
        case 'count': {
            const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
            if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0)
                throw new ConfigError(`${option}: ${describe(value)} is not a whole number`);
            return parsed;
        }
        case 'percent': {
            const parsed = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%?\s*$/.test(value) ? Number.parseFloat(value) : value;
            if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0)
                throw new ConfigError(`${option}: ${describe(value)} is not a percentage above 0`);
            return parsed;
        }
        case 'flag': {
            if (typeof value === 'boolean')
                return value;
            if (typeof value === 'string' && /^(1|true|yes|on)$/i.test(value))
                return true;
            if (typeof value === 'string' && /^(0|false|no|off)$/i.test(value))
                return false;
            throw new ConfigError(`${option}: ${describe(value)} is not true or false`);
        }
        case 'text':
        case 'path': {
            if (typeof value !== 'string' || value.trim() === '')
                throw new ConfigError(`${option}: ${describe(value)} is not a non-empty string`);
            return value;
        }
    }
}
function expandHome(value, home) {
    return value === '~' || value.startsWith('~/') ? path.join(home, value.slice(1)) : value;
}
/** Defaults < config file < environment < flags; throws ConfigError naming the first bad option. */
export function loadConfig({ flags, env = process.env, home = os.homedir() }) {
    const envValues = readEnv(env);
    const explicitFile = (flags['config'] ?? envValues['config']);
    const configFile = explicitFile ? path.resolve(expandHome(explicitFile, home)) : defaultConfigFile(env, home);
    const fileValues = readConfigFile(configFile, Boolean(explicitFile));
    const values = {};
    for (const spec of optionSpecs) {
        const given = flags[spec.name] ?? envValues[spec.name] ?? fileValues[spec.name];
        const value = given ?? spec.fallback;
        values[spec.name] = value === undefined ? undefined : convert(spec, value);
    }
    const jobsDir = path.resolve(expandHome(values['jobsDir'] ?? defaultJobsDir(env, home), home));
    const webhook = values['webhook'] ?? null;
    if (webhook !== null && !/^https?:\/\/\S+$/.test(webhook))
        throw new ConfigError(`--webhook: ${describe(webhook)} is not an http(s) URL`);
    const cpuSamples = values['cpuSamples'];
    if (cpuSamples < 1)
        throw new ConfigError('--cpu-samples: must be at least 1');
    const monitoredStatuses = values['monitoredStatuses'].split(',').map(status => status.trim().toUpperCase()).filter(Boolean);
    return {
        jobsDir,
        configFile: fs.existsSync(configFile) ? configFile : null,
        intervalMs: values['interval'],
        workerTimeoutMs: values['workerTimeout'],
        supervisorTimeoutMs: values['supervisorTimeout'],
        criticalTimeoutMs: values['criticalTimeout'],
        memoryLimitBytes: values['memoryLimit'],
        cpuLimitPercent: values['cpuLimit'],
        cpuSamples,
        maxInterventions: values['maxInterventions'],
        graceMs: values['grace'],
        auto: !values['noAuto'],
        dryRun: values['dryRun'],
        onIntervention: values['onIntervention'] ?? null,
        webhook,
        auditLog: path.resolve(expandHome(values['auditLog'] ?? path.join(jobsDir, '.sentinel', 'audit.jsonl'), home)),
        monitoredStatuses,
        ascii: values['ascii'],
    };
}
