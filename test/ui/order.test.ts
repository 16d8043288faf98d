import {describe, expect, it} from 'vitest';
import {visibleJobs, type TableQuery} from '../../source/ui/job-table/order.js';
import {makeInvalidJob, makeJob, now} from './fake-engine.js';

const query = (overrides: Partial<TableQuery> = {}): TableQuery => ({sort: 'severity', filter: '', faultsOnly: false, ...overrides});
const ids = (jobs: ReturnType<typeof visibleJobs>) => jobs.map(view => view.job.jobId);

const jobs = [
	makeJob({id: 'quiet-ok', severity: 'ok', silenceMs: 1000, cpu: 90, rss: 10}),
	makeJob({id: 'long-low', severity: 'low', silenceMs: 900_000, cpu: 1, rss: 500}),
	makeJob({id: 'short-high', severity: 'high', silenceMs: 1_800_000, cpu: 3, rss: 20, status: 'REVIEWING', description: 'Refactor the parser'}),
	makeJob({id: 'long-high', severity: 'high', silenceMs: 2_500_000, cpu: 2, rss: 30}),
	makeJob({id: 'crit', severity: 'critical', silenceMs: 3_600_000, cpu: 4, rss: 40}),
	makeInvalidJob('broken', 'not JSON'),
];

describe('job order', () => {
	it('sorts by severity (critical first), then by silence (longest first), invalid after medium', () => {
		expect(ids(visibleJobs(jobs, query(), now))).toEqual(['crit', 'long-high', 'short-high', 'broken', 'long-low', 'quiet-ok']);
	});

	it('sorts by silence, id, cpu and memory', () => {
		expect(ids(visibleJobs(jobs, query({sort: 'silence'}), now))).toEqual(['crit', 'long-high', 'short-high', 'long-low', 'quiet-ok', 'broken']);
		expect(ids(visibleJobs(jobs, query({sort: 'id'}), now))).toEqual(['broken', 'crit', 'long-high', 'long-low', 'quiet-ok', 'short-high']);
		expect(ids(visibleJobs(jobs, query({sort: 'cpu'}), now))[0]).toBe('quiet-ok');
		expect(ids(visibleJobs(jobs, query({sort: 'mem'}), now))[0]).toBe('long-low');
	});

	it('filters by id, status and description, ignoring case', () => {
		expect(ids(visibleJobs(jobs, query({filter: 'LONG'}), now))).toEqual(['long-high', 'long-low']);
		expect(ids(visibleJobs(jobs, query({filter: 'reviewing'}), now))).toEqual(['short-high']);
		expect(ids(visibleJobs(jobs, query({filter: 'parser'}), now))).toEqual(['short-high']);
		expect(ids(visibleJobs(jobs, query({filter: 'invalid'}), now))).toEqual(['broken']);
	});

	it('shows only jobs above ok and invalid ones with faults only', () => {
		expect(ids(visibleJobs(jobs, query({faultsOnly: true}), now))).not.toContain('quiet-ok');
		expect(ids(visibleJobs(jobs, query({faultsOnly: true}), now))).toContain('broken');
		expect(visibleJobs(jobs, query({faultsOnly: true}), now)).toHaveLength(5);
	});

	it('does not reorder its input', () => {
		const before = ids(jobs);
		visibleJobs(jobs, query(), now);
		expect(ids(jobs)).toEqual(before);
	});
});
