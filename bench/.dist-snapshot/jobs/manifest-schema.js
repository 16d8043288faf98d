import { z } from 'zod';
import { parseDuration, parseSize } from '../config/units.js';
import { parseStamp } from './timestamps.js';
// pid_t is a signed 32-bit integer; 0 and 1 are never a job's process.
const maxPid = 2 ** 31 - 1;
const percent = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/;
const pid = z.custom(value => Number.isInteger(value) && value > 1 && value <= maxPid, {
    error: 'must be an integer greater than 1',
});
const processStart = z
    .custom(value => parseStamp(value) !== null, { error: 'is not a timestamp' })
    .transform(value => parseStamp(value));
const role = z
    .custom(value => typeof value === 'string' && /^(worker|supervisor)$/i.test(value), {
    error: 'must be "worker" or "supervisor"',
})
    .transform(value => value.toLowerCase());
function positive(parse, error) {
    return z.custom(value => (parse(value) ?? 0) > 0, { error }).transform(value => parse(value));
}
function parsePercent(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? value : null;
    const match = typeof value === 'string' ? percent.exec(value) : null;
    return match ? Number(match[1]) : null;
}
/** The manifest's optional `sentinel` object: per-job thresholds, parsed to ms, bytes and percent. */
export const overridesSchema = z
    .looseObject({
    timeout: positive(parseDuration, 'must be a duration like "30m" or seconds').nullish(),
    criticalTimeout: positive(parseDuration, 'must be a duration like "1h" or seconds').nullish(),
    memoryLimit: positive(parseSize, 'must be a size like "2GB" or MB').nullish(),
    cpuLimit: positive(parsePercent, 'must be a percentage of one core like 95').nullish(),
}, { error: 'must be an object' })
    .transform(value => {
    const overrides = {};
    if (value.timeout != null)
        overrides.timeoutMs = value.timeout;
    if (value.criticalTimeout != null)
        overrides.criticalTimeoutMs = value.criticalTimeout;
    if (value.memoryLimit != null)
        overrides.memoryLimitBytes = value.memoryLimit;
    if (value.cpuLimit != null)
        overrides.cpuLimitPercent = value.cpuLimit;
    return overrides;
});
const text = z.string({ error: 'must be a string' });
const list = z.array(z.unknown(), { error: 'must be an array' });
/**
 * The fields of `job_manifest.json` the sentinel reads; every other field passes through untouched.
 * Fields the sentinel acts on must have the right type (or be null or absent); fields it only
 * displays or searches are `unknown` here and read leniently by read-manifest.
 */
export const manifestSchema = z.looseObject({
    job_id: text.nullish(),
    status: text.nullish(),
    description: z.unknown().optional(),
    objective: z.unknown().optional(),
    process_id: pid.nullish(),
    pid: pid.nullish(),
    metadata: z.looseObject({ pid: pid.nullish() }, { error: 'must be an object' }).nullish(),
    process_start: processStart.nullish(),
    role: role.nullish(),
    current_phase: z.unknown().optional(),
    phases: list.nullish(),
    last_activity: z.unknown().optional(),
    heartbeat_at: z.unknown().optional(),
    updated_at: z.unknown().optional(),
    history: list.nullish(),
    command: z.unknown().optional(),
    sentinel: overridesSchema.nullish(),
});
