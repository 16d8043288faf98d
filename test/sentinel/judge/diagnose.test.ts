import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../../source/config/load-config.js';
import {assess} from '../../../source/sentinel/judge/assess.js';
import {diagnose, type DiagnosisInput} from '../../../source/sentinel/judge/diagnose.js';
import type {ProcessReading, ProcessWait, WaitTarget} from '../../../source/sentinel/observe/diagnosis-readings.js';
import type {ProcessSample, Severity, Signal, TreeSample, ValidJob} from '../../../source/types.js';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);
const minute = 60_000;

function proc(pid: number, ppid: number, fields: Partial<ProcessSample> = {}): ProcessSample {
	return {pid, ppid, pgid: 100, sid: 100, state: 'S', startTimeMs: now - minute, cpuTimeMs: 0, rssBytes: 0, name: `p${pid}`, cpuPercent: 0, ...fields};
}

/** A tree: 100 (a shell) -> 101 -> 102, unless given. */
function tree(processes: ProcessSample[] = [proc(100, 1, {name: 'sh'}), proc(101, 100), proc(102, 101)], fields: Partial<TreeSample> = {}): TreeSample {
	return {at: now, rootPid: processes[0]!.pid, processes, cpuPercent: 0, cpuTrusted: true, rssBytes: 0, lost: null, ...fields};
}

function wait(fields: Partial<ProcessWait> = {}): ProcessWait {
	return {wchan: '', syscallReadable: true, running: false, call: null, targets: [], lock: null, ...fields};
}

const target = (fields: Partial<WaitTarget> & Pick<WaitTarget, 'kind'>): WaitTarget => ({fd: 3, name: 'x', ...fields});
const pipeIn = target({fd: 0, kind: 'pipe', name: 'pipe:[1]'});
const peer = target({kind: 'socket', name: '10.0.0.1:443'});
const child = wait({call: 'wait4'});
const timer = wait({call: 'nanosleep'});

function readings(entries: Record<number, Partial<ProcessReading>>): Map<number, ProcessReading> {
	return new Map(Object.entries(entries).map(([pid, reading]) => [Number(pid), {command: `command ${pid}`, diskWaitSamples: 0, wait: null, ...reading}]));
}

function input(fields: Partial<DiagnosisInput> = {}): DiagnosisInput {
	return {pid: 100, sample: tree(), silenceMs: 10 * minute, activeWithinMs: 4000, busy: null, cpuLimitPercent: 95, ...fields};
}

describe('diagnose (SPEC section 12)', () => {
	it('names the deepest process that explains the job: a shell waiting for its child is explained by the child', () => {
		const diagnosis = diagnose(input({readings: readings({100: {wait: child}, 101: {wait: child}, 102: {wait: wait({call: 'read', targets: [pipeIn]})}})}));
		expect(diagnosis).toEqual({kind: 'waiting-for-input', pid: 102, command: 'command 102', detail: 'reads its standard input, a pipe nobody in the job writes'});
		// Asleep too, the child is named, not the shells above it.
		expect(diagnose(input({readings: readings({100: {wait: child}, 101: {wait: child}, 102: {wait: timer}})}))).toMatchObject({kind: 'sleeping', pid: 102, detail: 'sleeps on a timer'});
	});

	it('takes the first kind that holds, in the order of SPEC section 12', () => {
		const stop = proc(102, 101, {state: 'T'});
		const disk = proc(102, 101, {state: 'D'});
		const lock = wait({call: 'flock', lock: {file: '/jobs/a/.lock', how: 'flock', holder: {pid: 7, name: 'logist'}}});
		const terminal = wait({call: 'poll', targets: [target({kind: 'terminal', name: '/dev/pts/4'}), peer]});
		const cases: Array<[Partial<DiagnosisInput>, string]> = [
			[{sample: tree(undefined, {lost: 'pid 100 is gone'})}, 'gone'],
			[{sample: tree([proc(100, 1), proc(101, 100), stop]), readings: readings({101: {wait: wait({call: 'read', targets: [pipeIn]})}}), progress: {repeatsSinceNew: 5, sample: 'retrying'}}, 'stopped'],
			[{readings: readings({101: {wait: wait({call: 'read', targets: [pipeIn]})}}), progress: {repeatsSinceNew: 5, sample: 'retrying in 5s'}}, 'looping-output'],
			[{readings: readings({101: {wait: lock}, 102: {wait: terminal}})}, 'waiting-for-input'],
			[{readings: readings({101: {wait: lock}, 102: {wait: wait({call: 'recvfrom', targets: [peer]})}})}, 'waiting-on-lock'],
			[{sample: tree([proc(100, 1), proc(101, 100), disk]), readings: readings({101: {wait: wait({call: 'epoll_wait', targets: [peer]})}, 102: {diskWaitSamples: 3}})}, 'waiting-on-network'],
			[{sample: tree([proc(100, 1), proc(101, 100), disk], {cpuPercent: 99}), readings: readings({102: {diskWaitSamples: 3}}), busy: {name: 'busy', severity: 'ok', value: 99, threshold: 95, message: ''}}, 'disk-wait'],
			[{sample: tree(undefined, {cpuPercent: 99}), busy: {name: 'busy', severity: 'medium', value: 99, threshold: 95, message: ''}}, 'busy'],
			[{}, 'sleeping'],
			[{silenceMs: 1000, readings: readings({101: {wait: lock}})}, 'ok'],
		];
		for (const [fields, kind] of cases) expect(diagnose(input(fields)).kind, kind).toBe(kind);
	});

	it('says what each kind waits on, in one line', () => {
		const lock = {file: '/jobs/a/shared.lock', how: 'flock', holder: {pid: 7, name: 'flock'}};
		expect(diagnose(input({readings: readings({102: {wait: wait({call: 'flock', lock})}})})).detail).toBe('flock on /jobs/a/shared.lock, held by pid 7 (flock)');
		expect(diagnose(input({readings: readings({102: {wait: wait({call: 'epoll_wait', targets: [peer, target({kind: 'socket', name: '10.0.0.2:443'})]})}})})).detail).toBe('polls a socket connected to 10.0.0.1:443 (and 1 more socket)');
		expect(diagnose(input({readings: readings({102: {wait: wait({call: 'accept4', targets: [target({kind: 'socket', name: '0.0.0.0:8080', listening: true})]})}})})).detail).toBe('waits for connections on 0.0.0.0:8080');
		expect(diagnose(input({readings: readings({102: {wait: wait({call: 'read', targets: [target({fd: 0, kind: 'terminal', name: '/dev/pts/2'})]})}})})).detail).toBe('reads its standard input, the terminal /dev/pts/2');
		expect(diagnose(input({progress: {repeatsSinceNew: 40, sample: 'rate limited, retrying in 30s'}}))).toEqual({kind: 'looping-output', pid: 100, command: 'sh', detail: 'rate limited, retrying in 30s'});
	});

	it('keeps a pipe the job feeds itself, or a write to a full pipe, from passing for a prompt', () => {
		const fed = wait({call: 'read', targets: [{...pipeIn, fedByTree: true}]});
		expect(diagnose(input({readings: readings({102: {wait: fed}})}))).toMatchObject({kind: 'sleeping', detail: 'reads a pipe fed by its own job'});
		const stuckWriting = wait({call: 'write', targets: [target({fd: 1, kind: 'pipe', name: 'pipe:[9]'})]});
		expect(diagnose(input({readings: readings({102: {wait: stuckWriting}})}))).toMatchObject({kind: 'sleeping', detail: 'writes to a pipe nobody reads'});
	});

	it('judges a process whose syscall file cannot be read from its state and wchan, and says so', () => {
		const unreadable = (wchan: string) => readings({102: {wait: wait({syscallReadable: false, wchan})}});
		expect(diagnose(input({readings: unreadable('anon_pipe_read')}))).toMatchObject({
			kind: 'waiting-for-input',
			detail: "blocked reading a pipe or terminal; its syscall file cannot be read (another user's process, without privilege): judged from its state and wchan (anon_pipe_read)",
		});
		expect(diagnose(input({readings: unreadable('')}))).toMatchObject({kind: 'sleeping', detail: "sleeps; its syscall file cannot be read (another user's process, without privilege): judged from its state alone"});
		const queued = readings({102: {wait: wait({syscallReadable: false, lock: {file: 'inode fe:00:123', how: 'flock', holder: null}})}});
		expect(diagnose(input({readings: queued})).detail).toBe("flock on inode fe:00:123, held by another process; its syscall file cannot be read (another user's process, without privilege): judged from its state alone");
	});

	it('counts disk-wait only after 3 samples in a row in state D', () => {
		const sample = tree([proc(100, 1, {state: 'D'})]);
		expect(diagnose(input({sample, readings: readings({100: {diskWaitSamples: 2}})})).kind).toBe('sleeping');
		expect(diagnose(input({sample, readings: readings({100: {diskWaitSamples: 3, wait: wait({wchan: 'io_schedule'})}})}))).toMatchObject({kind: 'disk-wait', detail: 'in uninterruptible sleep (state D) for 3 samples in a row, in io_schedule'});
	});

	it('calls a silent tree that burns CPU busy, naming its hottest process, below the busy-hang limit too', () => {
		const hot = tree([proc(100, 1, {cpuPercent: 2}), proc(101, 100, {cpuPercent: 97})], {cpuPercent: 99});
		expect(diagnose(input({sample: hot, busy: {name: 'busy', severity: 'high', value: 99, threshold: 95, message: ''}}))).toMatchObject({kind: 'busy', pid: 101, detail: 'CPU 99%'});
		expect(diagnose(input({sample: {...hot, cpuPercent: 40}}))).toMatchObject({kind: 'busy', detail: 'CPU 40% (below the busy-hang limit of 95%)'});
	});

	it('says ok for an active job without reading anything, unless a process is stopped', () => {
		expect(diagnose(input({silenceMs: 3999}))).toEqual({kind: 'ok', pid: 100, command: 'sh', detail: 'active'});
		expect(diagnose(input({silenceMs: 0, sample: tree([proc(100, 1, {state: 't'})])}))).toMatchObject({kind: 'stopped', detail: 'stopped by a tracer (state t)'});
	});

	it('diagnoses a job naming no process from silence and output alone', () => {
		expect(diagnose(input({pid: null, sample: null, silenceMs: 0}))).toEqual({kind: 'ok', pid: null, command: null, detail: 'active'});
		expect(diagnose(input({pid: null, sample: null}))).toMatchObject({kind: 'sleeping', pid: null, detail: 'the manifest names no process to look at: judged on silence alone'});
		expect(diagnose(input({pid: null, sample: null, progress: {repeatsSinceNew: 3, sample: 'again'}}))).toMatchObject({kind: 'looping-output', detail: 'again'});
	});
});

describe('assess with a diagnosis', () => {
	// No config file is read from a HOME that has none.
	const config = loadConfig({flags: {interval: '2s'}, env: {}, home: '/nonexistent'});
	const job: ValidJob = {valid: true, jobId: 'j', dir: '/j', manifestPath: '/j/job_manifest.json', status: 'RUNNING', role: 'worker', pid: 100, processStartMs: null, description: '', command: null, latestStampMs: null, overrides: {}, manifestMtimeMs: now, ownerUid: 0, ownerGid: 0, contentKey: 'k'};
	const prompt = readings({102: {wait: wait({call: 'read', targets: [pipeIn]})}});
	const judged = (silenceMs: number, fields: {status?: string; readings?: Map<number, ProcessReading>} = {}) =>
		assess({...job, status: fields.status ?? 'RUNNING'}, {lastActivityMs: now - silenceMs, sample: tree(), cpuHistory: [], readings: fields.readings ?? prompt}, config, now);
	const diagnosisSignal = (evidence: Signal[]) => evidence.find(signal => signal.name === 'diagnosis');

	it('raises the silence tier of a job waiting for input by one (SPEC section 4)', () => {
		const cases: Array<[number, Severity, Severity]> = [
			[10 * minute, 'ok', 'ok'],
			[16 * minute, 'low', 'medium'],
			[23 * minute, 'medium', 'high'],
			[31 * minute, 'high', 'critical'],
			[61 * minute, 'critical', 'critical'],
		];
		for (const [silenceMs, silence, raised] of cases) {
			const assessment = judged(silenceMs);
			expect(assessment.evidence.find(signal => signal.name === 'silence')?.severity, `${silenceMs}`).toBe(silence);
			expect(assessment.severity, `${silenceMs}`).toBe(raised);
			expect(diagnosisSignal(assessment.evidence)?.severity).toBe(raised);
		}
		expect(diagnosisSignal(judged(23 * minute).evidence)?.message).toBe('waiting-for-input: pid 102 (command 102) reads its standard input, a pipe nobody in the job writes; a prompt nobody answers: silence medium raised to high');
		// Any other kind explains and never judges.
		expect(judged(23 * minute, {readings: readings({102: {wait: timer}})}).severity).toBe('medium');
	});

	it('carries the whole diagnosis in the signal as JSON (audit entries, notify payloads, events)', () => {
		const written = JSON.parse(JSON.stringify(diagnosisSignal(judged(16 * minute).evidence)));
		expect(written).toEqual({
			name: 'diagnosis',
			severity: 'medium',
			value: 'waiting-for-input',
			threshold: 'waiting-for-input',
			message: expect.stringMatching(/^waiting-for-input: pid 102 /),
			diagnosis: {kind: 'waiting-for-input', pid: 102, command: 'command 102', detail: 'reads its standard input, a pipe nobody in the job writes'},
		});
	});

	it('diagnoses no job outside the monitored statuses', () => {
		const assessment = judged(61 * minute, {status: 'SUCCESS'});
		expect(assessment.diagnosis).toBeNull();
		expect(diagnosisSignal(assessment.evidence)).toBeUndefined();
	});
});
