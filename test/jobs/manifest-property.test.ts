import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseManifest} from '../../source/jobs/read-manifest.js';
import {parseStamp} from '../../source/jobs/timestamps.js';
import {sanitize} from '../../source/text/sanitize.js';
import type {JobRecord} from '../../source/types.js';

const facts = {dir: '/jobs/some-job', manifestPath: '/jobs/some-job/job_manifest.json', mtimeMs: 5, uid: 1000, gid: 1000};

const knownFields = [
	'job_id',
	'description',
	'objective',
	'status',
	'process_id',
	'pid',
	'metadata',
	'process_start',
	'role',
	'current_phase',
	'phases',
	'last_activity',
	'heartbeat_at',
	'updated_at',
	'history',
	'command',
	'sentinel',
];

function checkRecord(job: JobRecord): void {
	expect(job.dir).toBe(facts.dir);
	if (job.valid) return;
	expect(job.jobId).toBe('some-job');
	expect(job.error.length).toBeGreaterThan(0);
	expect(job.error).toBe(sanitize(job.error));
}

const extraFields = fc.dictionary(
	fc.string().filter(key => !knownFields.includes(key) && key !== '__proto__'),
	fc.jsonValue(),
	{maxKeys: 6},
);
const goodStatus = fc.string({minLength: 1, maxLength: 20}).filter(status => status.trim() !== '' && sanitize(status) === status);
const goodPid = fc.integer({min: 2, max: 2 ** 31 - 1});

describe('parseManifest never throws', () => {
	it('on arbitrary bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({maxLength: 600}), bytes => {
				checkRecord(parseManifest(Buffer.from(bytes), facts));
			}),
			{numRuns: 300},
		);
	});

	it('on arbitrary text', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 300}), text => {
				checkRecord(parseManifest(Buffer.from(text), facts));
			}),
			{numRuns: 300},
		);
	});

	it('on arbitrary JSON', () => {
		fc.assert(
			fc.property(fc.jsonValue(), json => {
				checkRecord(parseManifest(Buffer.from(JSON.stringify(json) ?? 'null'), facts));
			}),
			{numRuns: 300},
		);
	});

	it('on arbitrary values in the fields it reads', () => {
		const manifest = fc.dictionary(fc.constantFrom(...knownFields), fc.oneof(fc.jsonValue(), goodStatus, goodPid));
		fc.assert(
			fc.property(manifest, extraFields, (fields, extra) => {
				checkRecord(parseManifest(Buffer.from(JSON.stringify({...extra, ...fields})), facts));
			}),
			{numRuns: 500},
		);
	});
});

describe('a JSON object with a good status and pid is a valid job', () => {
	it('whatever other fields it has', () => {
		fc.assert(
			fc.property(goodStatus, goodPid, fc.constantFrom('process_id', 'pid', 'metadata'), extraFields, (status, pid, field, extra) => {
				const where = field === 'metadata' ? {metadata: {pid}} : {[field]: pid};
				const job = parseManifest(Buffer.from(JSON.stringify({...extra, status, ...where})), facts);
				if (!job.valid) throw new Error(job.error);
				expect(job.status).toBe(status);
				expect(job.pid).toBe(pid);
			}),
			{numRuns: 300},
		);
	});

	it('whatever its activity stamps, history entries and phases hold', () => {
		const lenient = fc.record(
			{
				last_activity: fc.jsonValue(),
				heartbeat_at: fc.jsonValue(),
				updated_at: fc.jsonValue(),
				history: fc.array(fc.jsonValue(), {maxLength: 5}),
				phases: fc.array(fc.jsonValue(), {maxLength: 5}),
				current_phase: fc.jsonValue(),
				description: fc.jsonValue(),
				command: fc.jsonValue(),
			},
			{requiredKeys: []},
		);
		fc.assert(
			fc.property(goodStatus, lenient, (status, fields) => {
				const job = parseManifest(Buffer.from(JSON.stringify({...fields, status})), facts);
				if (!job.valid) throw new Error(job.error);
				expect(job.latestStampMs === null || Number.isInteger(job.latestStampMs)).toBe(true);
			}),
			{numRuns: 300},
		);
	});
});

describe('parseStamp', () => {
	it('is null or a whole number of ms for any value', () => {
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue(), fc.double(), fc.string()), value => {
				const ms = parseStamp(value);
				expect(ms === null || Number.isSafeInteger(ms)).toBe(true);
			}),
			{numRuns: 500},
		);
	});

	it('reads back any moment written as ISO with a zone, to the millisecond', () => {
		const moments = fc.integer({min: 0, max: Date.UTC(9999, 11, 31)});
		fc.assert(
			fc.property(moments, ms => {
				expect(parseStamp(new Date(ms).toISOString())).toBe(ms);
			}),
		);
	});
});
