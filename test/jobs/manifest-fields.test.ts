import {describe, expect, it} from 'vitest';
import {parseManifest} from '../../source/jobs/read-manifest.js';
import type {InvalidJob, JobRecord, ValidJob} from '../../source/types.js';

const facts = {dir: '/jobs/job-dir', manifestPath: '/jobs/job-dir/job_manifest.json', mtimeMs: 1, uid: 1000, gid: 1000};

function parse(manifest: Record<string, unknown>): JobRecord {
	return parseManifest(Buffer.from(JSON.stringify(manifest)), facts);
}

function valid(manifest: Record<string, unknown>): ValidJob {
	const job = parse({status: 'RUNNING', ...manifest});
	if (!job.valid) throw new Error(`expected a valid job, got: ${job.error}`);
	return job;
}

function invalid(manifest: Record<string, unknown>, reason: RegExp): InvalidJob {
	const job = parse({status: 'RUNNING', ...manifest});
	if (job.valid) throw new Error('expected an invalid job');
	expect(job.error).toMatch(reason);
	expect(job.jobId).toBe('job-dir');
	return job;
}

describe('pid', () => {
	it('reads process_id, else pid, else metadata.pid', () => {
		expect(valid({process_id: 101, pid: 202, metadata: {pid: 303}}).pid).toBe(101);
		expect(valid({pid: 202, metadata: {pid: 303}}).pid).toBe(202);
		expect(valid({metadata: {pid: 303, other: 'kept'}}).pid).toBe(303);
		expect(valid({process_id: null, pid: 202}).pid).toBe(202);
		expect(valid({process_id: null, pid: null, metadata: {pid: null}}).pid).toBeNull();
		expect(valid({metadata: {}}).pid).toBeNull();
		expect(valid({}).pid).toBeNull();
		expect(valid({pid: 2}).pid).toBe(2);
		expect(valid({pid: 2 ** 31 - 1}).pid).toBe(2 ** 31 - 1);
	});

	for (const field of ['process_id', 'pid', 'metadata.pid']) {
		it.each([0, 1, -5, 3.5, '123', true, [123], {pid: 1}, 2 ** 31])(`${field} = %j is invalid`, value => {
			const manifest = field === 'metadata.pid' ? {metadata: {pid: value}} : {[field]: value};
			invalid(manifest, new RegExp(`^${field.replace('.', '\\.')} must be an integer greater than 1$`));
		});
	}

	it('refuses a bad pid even when another pid field is good', () => {
		invalid({process_id: 500, pid: 'x'}, /^pid /);
		invalid({process_id: 500, metadata: {pid: 0}}, /^metadata\.pid /);
	});

	it('refuses a metadata that is not an object', () => {
		invalid({metadata: 'pid 5'}, /^metadata must be an object/);
		invalid({metadata: [5]}, /^metadata must be an object/);
	});
});

describe('role', () => {
	it('reads role case-insensitively', () => {
		expect(valid({role: 'Supervisor'}).role).toBe('supervisor');
		expect(valid({role: 'WORKER', status: 'REVIEWING'}).role).toBe('worker');
		expect(valid({role: 'worker'}).role).toBe('worker');
	});

	it('refuses an unknown role', () => {
		invalid({role: 'manager'}, /^role must be "worker" or "supervisor"$/);
		invalid({role: ''}, /^role /);
		invalid({role: 3}, /^role /);
	});

	it('without a role: supervisor when REVIEWING, in any case', () => {
		expect(valid({status: 'REVIEWING'}).role).toBe('supervisor');
		expect(valid({status: 'reviewing', role: null}).role).toBe('supervisor');
		expect(valid({status: 'RUNNING'}).role).toBe('worker');
	});

	it("without a role: supervisor when the current phase's active_agent is Supervisor", () => {
		const phases = [
			{name: 'build', active_agent: 'Worker'},
			{name: 'review', active_agent: 'SUPERVISOR'},
			{name: 'other'},
		];
		expect(valid({current_phase: 'review', phases}).role).toBe('supervisor');
		expect(valid({current_phase: 'build', phases}).role).toBe('worker');
		expect(valid({current_phase: 'other', phases}).role).toBe('worker');
		expect(valid({current_phase: 'missing', phases}).role).toBe('worker');
		expect(valid({current_phase: null, phases}).role).toBe('worker');
		expect(valid({current_phase: 'review'}).role).toBe('worker');
		expect(valid({current_phase: 'review', phases: ['review', 7, null]}).role).toBe('worker');
	});

	it('accepts current_phase as an object with its own active_agent', () => {
		expect(valid({current_phase: {name: 'x', active_agent: 'supervisor'}}).role).toBe('supervisor');
		expect(valid({current_phase: {name: 'x', active_agent: 'Worker'}}).role).toBe('worker');
		const phases = [{name: 'x', active_agent: 'Supervisor'}];
		expect(valid({current_phase: {name: 'x'}, phases}).role).toBe('supervisor');
		expect(valid({current_phase: 12, phases}).role).toBe('worker');
	});

	it('refuses phases that are not an array', () => {
		invalid({phases: {review: {active_agent: 'Supervisor'}}}, /^phases must be an array/);
	});
});

describe('status', () => {
	it('is kept as spelled', () => {
		expect(valid({status: 'Running'}).status).toBe('Running');
	});

	it.each([
		[{status: undefined}, /^no status$/],
		[{status: null}, /^no status$/],
		[{status: ''}, /^no status$/],
		[{status: '  '}, /^no status$/],
		[{status: 5}, /^status must be a string$/],
		[{status: 'RUN\u001b[2JNING'}, /^status holds control characters$/],
	])('%j is invalid', (manifest, reason) => {
		invalid(manifest, reason);
	});
});

describe('activity stamps', () => {
	const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();

	it('takes the latest of last_activity, heartbeat_at, updated_at and history', () => {
		expect(valid({last_activity: at(5), heartbeat_at: at(3), updated_at: at(1)}).latestStampMs).toBe(Date.parse(at(5)));
		expect(valid({last_activity: at(1), heartbeat_at: at(7), updated_at: at(3)}).latestStampMs).toBe(Date.parse(at(7)));
		expect(valid({last_activity: at(1), updated_at: at(9)}).latestStampMs).toBe(Date.parse(at(9)));
		const history = [{event: 'A', timestamp: at(4)}, {event: 'B', timestamp: at(11)}, {timestamp: at(2)}];
		expect(valid({last_activity: at(1), history}).latestStampMs).toBe(Date.parse(at(11)));
	});

	it("leaves out the sentinel's own history entries", () => {
		const history = [
			{event: 'JOB_STARTED', timestamp: at(2)},
			{event: 'SENTINEL_RECOVERY', timestamp: at(50)},
			{event: 'SENTINEL_INTERVENTION', timestamp: at(60)},
			{event: 'sentinel_lowercase_is_not_ours', timestamp: at(8)},
		];
		expect(valid({history}).latestStampMs).toBe(Date.parse(at(8)));
		expect(valid({history: history.slice(1, 3)}).latestStampMs).toBeNull();
	});

	it('ignores stamps it cannot read, and history entries that are not objects', () => {
		const history = [null, 'x', 5, [at(40)], {event: 'A', timestamp: 'soon'}, {event: 7, timestamp: at(3)}];
		const job = valid({last_activity: 'yesterday', heartbeat_at: {}, updated_at: false, history});
		expect(job.latestStampMs).toBe(Date.parse(at(3)));
		expect(valid({history: []}).latestStampMs).toBeNull();
		expect(valid({last_activity: 1_735_689_600}).latestStampMs).toBe(1_735_689_600_000);
	});

	it('refuses a history that is not an array', () => {
		invalid({history: {timestamp: at(1)}}, /^history must be an array/);
	});
});

describe('process_start', () => {
	it('is read as a timestamp', () => {
		expect(valid({process_start: '2025-01-01T00:00:00Z'}).processStartMs).toBe(Date.UTC(2025, 0, 1));
		expect(valid({process_start: 1_735_689_600.5}).processStartMs).toBe(1_735_689_600_500);
		expect(valid({process_start: null}).processStartMs).toBeNull();
	});

	it('is invalid when it cannot be read: it is the identity of the process', () => {
		invalid({process_start: 'at boot'}, /^process_start is not a timestamp$/);
		invalid({process_start: -3}, /^process_start /);
	});
});

describe('sentinel overrides', () => {
	it('reads durations, sizes and percent', () => {
		const sentinel = {timeout: '10m', criticalTimeout: 7200, memoryLimit: '2GB', cpuLimit: '80%', note: 'kept'};
		expect(valid({sentinel}).overrides).toEqual({
			timeoutMs: 600_000,
			criticalTimeoutMs: 7_200_000,
			memoryLimitBytes: 2 * 2 ** 30,
			cpuLimitPercent: 80,
		});
		expect(valid({sentinel: {memoryLimit: 512, cpuLimit: 150}}).overrides).toEqual({
			memoryLimitBytes: 512 * 2 ** 20,
			cpuLimitPercent: 150,
		});
		expect(valid({sentinel: {timeout: '90'}}).overrides).toEqual({timeoutMs: 90_000});
		expect(valid({sentinel: {}}).overrides).toEqual({});
		expect(valid({sentinel: null}).overrides).toEqual({});
	});

	it.each([
		[{timeout: '10 parsecs'}, /^sentinel\.timeout must be a duration/],
		[{timeout: 0}, /^sentinel\.timeout /],
		[{criticalTimeout: true}, /^sentinel\.criticalTimeout /],
		[{memoryLimit: 'lots'}, /^sentinel\.memoryLimit must be a size/],
		[{cpuLimit: 'busy'}, /^sentinel\.cpuLimit must be a percentage/],
		[{cpuLimit: -5}, /^sentinel\.cpuLimit /],
	])('%j is invalid', (sentinel, reason) => {
		invalid({sentinel}, reason);
	});

	it('refuses a sentinel that is not an object', () => {
		invalid({sentinel: '10m'}, /^sentinel must be an object$/);
	});
});

describe('names and text', () => {
	it('names the job by job_id, stripped for the terminal, else by its directory', () => {
		expect(valid({job_id: '\u001b[31mred\u001b[0m\njob'}).jobId).toBe('red job');
		expect(valid({}).jobId).toBe('job-dir');
		expect(valid({job_id: ''}).jobId).toBe('job-dir');
		expect(valid({job_id: '\u0007'}).jobId).toBe('job-dir');
		invalid({job_id: 42}, /^job_id must be a string$/);
	});

	it('shows description, else objective, stripped; other types as nothing', () => {
		expect(valid({description: 'a\tb\u001b]0;title\u0007c', objective: 'o'}).description).toBe('a bc');
		expect(valid({objective: 'the goal'}).description).toBe('the goal');
		expect(valid({description: '', objective: 'the goal'}).description).toBe('the goal');
		expect(valid({description: {text: 'x'}, objective: 5}).description).toBe('');
		expect(valid({}).description).toBe('');
	});

	it('shows the command as a string or an argv', () => {
		expect(valid({command: 'sleep 60'}).command).toBe('sleep 60');
		expect(valid({command: ['python3', '-c', 'print(1)']}).command).toBe('python3 -c print(1)');
		expect(valid({command: ['a', 1]}).command).toBeNull();
		expect(valid({command: 'echo \u001b[2Jx'}).command).toBe('echo x');
	});

	it('keeps error messages on one line and free of escape sequences', () => {
		const job = parseManifest(Buffer.from('{"status": "\u001b[2J\nRUNNING'), facts);
		if (job.valid) throw new Error('expected an invalid job');
		expect(job.error).toMatch(/^job_manifest\.json is not JSON/);
		expect(job.error).not.toMatch(/[\u0000-\u001f]/);
	});
});
