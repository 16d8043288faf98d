import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../../source/config/load-config.js';
import {newJobState, type JobState} from '../../../source/sentinel/job-state.js';
import {DiagnosisReader, refreshTicks} from '../../../source/sentinel/observe/diagnosis-reader.js';
import {Sampler} from '../../../source/sentinel/observe/sampler.js';
import type {ProcessSample, ValidJob} from '../../../source/types.js';
import {startProcess, waitFor} from '../../helpers/processes.js';

const config = loadConfig({flags: {interval: '1s'}, env: {}, home: '/nonexistent'});

function jobState(pid: number): JobState {
	const job: ValidJob = {valid: true, jobId: 'j', dir: `/jobs/j${pid}`, manifestPath: '/jobs/j/job_manifest.json', status: 'RUNNING', role: 'worker', pid, processStartMs: null, description: '', command: null, latestStampMs: null, overrides: {}, manifestMtimeMs: Date.now(), ownerUid: process.getuid!(), ownerGid: 0, contentKey: 'k'};
	return newJobState(job);
}

/** One tick: sample every job's tree, then read it, at `now`. */
function tick(sampler: Sampler, reader: DiagnosisReader, states: Map<string, JobState>, now = Date.now()): void {
	const samples = sampler.sample([...states.values()].map(state => ({key: state.record.dir, pid: (state.record as ValidJob).pid!, processStartMs: null, notAfterMs: null, ownerUid: process.getuid!()})));
	for (const state of states.values()) state.sample = samples.get(state.record.dir) ?? null;
	reader.observe(states, now, config);
}

describe('the diagnosis reader', () => {
	it('reads nothing of an active job but its root\'s command line; a silent job\'s waits once, kept while nothing moves', async () => {
		const sleeper = startProcess('sleep', ['600']);
		expect(await waitFor(() => /\) S /.test(fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')))).toBe(true);
		const state = jobState(sleeper.pid!);
		const states = new Map([[state.record.dir, state]]);
		const sampler = new Sampler();
		const reader = new DiagnosisReader();
		state.lastActivityMs = Date.now();
		tick(sampler, reader, states);
		expect(state.readings?.get(sleeper.pid!)).toEqual({command: 'sleep 600', diskWaitSamples: 0, wait: null});

		// Silent for a minute: what it waits on is read.
		state.lastActivityMs = Date.now() - 60_000;
		tick(sampler, reader, states);
		const read = state.readings!;
		expect(read.get(sleeper.pid!)!.wait).toMatchObject({syscallReadable: true, call: expect.stringMatching(/nanosleep/), targets: [], lock: null});
		// The same map, reading for reading, tick after tick, a re-read included.
		for (let index = 0; index <= refreshTicks; index++) tick(sampler, reader, states);
		expect(state.readings).toBe(read);
	});

	it('reads a command line again after an exec, which keeps the pid and its start time', async () => {
		const shell = startProcess('sh', ['-c', 'read -r _; exec sleep 600'], {stdio: ['pipe', 'ignore', 'ignore']});
		const state = jobState(shell.pid!);
		state.lastActivityMs = Date.now();
		const states = new Map([[state.record.dir, state]]);
		const sampler = new Sampler();
		const reader = new DiagnosisReader();
		expect(await waitFor(() => fs.readFileSync(`/proc/${shell.pid}/comm`, 'utf8').trim() === 'sh')).toBe(true);
		tick(sampler, reader, states);
		expect(state.readings?.get(shell.pid!)?.command).toBe('sh -c read -r _; exec sleep 600');
		shell.stdin!.write('go\n');
		expect(await waitFor(() => fs.readFileSync(`/proc/${shell.pid}/comm`, 'utf8').trim() === 'sleep')).toBe(true);
		tick(sampler, reader, states);
		expect(state.readings?.get(shell.pid!)?.command).toBe('sleep 600');
	});

	it('counts the samples in a row a process spends in state D, from zero again when it leaves it', () => {
		const sleeper = startProcess('sleep', ['600']);
		const state = jobState(sleeper.pid!);
		state.lastActivityMs = Date.now();
		const states = new Map([[state.record.dir, state]]);
		const reader = new DiagnosisReader();
		const root: ProcessSample = {pid: sleeper.pid!, ppid: 1, pgid: 0, sid: 0, state: 'D', startTimeMs: 1, cpuTimeMs: 0, rssBytes: 0, name: 'sleep', cpuPercent: 0};
		const counts: number[] = [];
		for (const processState of ['D', 'D', 'D', 'S', 'D']) {
			state.sample = {at: Date.now(), rootPid: root.pid, processes: [{...root, state: processState}], cpuPercent: 0, cpuTrusted: true, rssBytes: 0, lost: null};
			reader.observe(states, Date.now(), config);
			counts.push(state.readings!.get(root.pid)!.diskWaitSamples);
		}
		expect(counts).toEqual([1, 2, 3, 0, 1]);
	});

	it('reads no job outside the monitored statuses, nor one whose process is lost, and forgets processes that went', () => {
		const sleeper = startProcess('sleep', ['600']);
		const done = jobState(sleeper.pid!);
		done.record = {...(done.record as ValidJob), status: 'SUCCESS'};
		const states = new Map([[done.record.dir, done]]);
		const sampler = new Sampler();
		const reader = new DiagnosisReader();
		tick(sampler, reader, states);
		expect(done.readings).toBeNull();
		expect(reader.trackedProcesses).toBe(0);
		const lost = jobState(2_000_000_000);
		tick(sampler, reader, new Map([[lost.record.dir, lost]]));
		expect(lost.sample?.lost).not.toBeNull();
		expect(lost.readings).toBeNull();
	});
});
