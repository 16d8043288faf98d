import {z} from 'zod';
import {parseDuration, parseSize} from '../config/units.js';
import type {JobOverrides, Role} from '../types.js';
import {parseStamp} from './timestamps.js';

// pid_t is a signed 32-bit integer; 0 and 1 are never a job's process.
const maxPid = 2 ** 31 - 1;
const percent = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/;

const pid = z.custom<number>(value => Number.isInteger(value) && (value as number) > 1 && (value as number) <= maxPid, {
	error: 'must be an integer greater than 1',
});

const processStart = z
	.custom<string | number>(value => parseStamp(value) !== null, {error: 'is not a timestamp'})
	.transform(value => parseStamp(value) as number);

const role = z
	.custom<string>(value => typeof value === 'string' && /^(worker|supervisor)$/i.test(value), {
		error: 'must be "worker" or "supervisor"',
	})
	.transform(value => value.toLowerCase() as Role);

function positive(parse: (value: unknown) => number | null, error: string) {
	return z.custom<number | string>(value => (parse(value) ?? 0) > 0, {error}).transform(value => parse(value) as number);
}

function parsePercent(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	const match = typeof value === 'string' ? percent.exec(value) : null;
	return match ? Number(match[1]) : null;
}

/** The manifest's optional `sentinel` object: per-job thresholds, parsed to ms, bytes and percent. */
export const overridesSchema = z
	.looseObject(
		{
			timeout: positive(parseDuration, 'must be a duration like "30m" or seconds').nullish(),
			criticalTimeout: positive(parseDuration, 'must be a duration like "1h" or seconds').nullish(),
			memoryLimit: positive(parseSize, 'must be a size like "2GB" or MB').nullish(),
			cpuLimit: positive(parsePercent, 'must be a percentage of one core like 95').nullish(),
		},
		{error: 'must be an object'},
	)
	.transform(value => {
		const overrides: JobOverrides = {};
		if (value.timeout != null) overrides.timeoutMs = value.timeout;
		if (value.criticalTimeout != null) overrides.criticalTimeoutMs = value.criticalTimeout;
		if (value.memoryLimit != null) overrides.memoryLimitBytes = value.memoryLimit;
		if (value.cpuLimit != null) overrides.cpuLimitPercent = value.cpuLimit;
		return overrides;
	});

const text = z.string({error: 'must be a string'});
// Any array: checking each entry would only copy it, and Logist's histories grow long.
const list = z.custom<unknown[]>(value => Array.isArray(value), {error: 'must be an array'});

/**
 * The fields of `job_manifest.json` the sentinel acts on: each must have the right type (or be null
 * or absent). Every other field is left alone and out of the result; those the sentinel only
 * displays or searches (description, command, activity stamps, ...) read-manifest reads leniently
 * from the JSON itself, where checking and copying them here cost more than reading them.
 */
export const manifestSchema = z.object({
	job_id: text.nullish(),
	status: text.nullish(),
	process_id: pid.nullish(),
	pid: pid.nullish(),
	metadata: z.object({pid: pid.nullish()}, {error: 'must be an object'}).nullish(),
	process_start: processStart.nullish(),
	role: role.nullish(),
	phases: list.nullish(),
	history: list.nullish(),
	sentinel: overridesSchema.nullish(),
});

/** A manifest after validation: the fields the sentinel acts on. */
export type Manifest = z.output<typeof manifestSchema>;
