import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Signal} from '../../source/types.js';
import {startTestEngine} from '../helpers/engine.js';
import {watching} from '../helpers/file-watches.js';
import {startNode, startProcess, waitFor} from '../helpers/processes.js';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

/**
 * A real job writing `line` (a JavaScript expression) to `file` in its folder every `everyMs`; its
 * manifest names the writer's pid.
 */
function writingJob(jobsDir: string, name: string, file: string, line: string, everyMs = 200): string {
	const dir = path.join(jobsDir, name);
	fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
	const target = JSON.stringify(path.join(dir, file));
	const writer = startNode(`const fs = require('fs'), {randomUUID} = require('crypto'); let n = 0; setInterval(() => { fs.appendFileSync(${target}, (${line}) + '\\n'); n++; }, ${everyMs})`);
	writeJob(jobsDir, name, {job_id: name, status: 'RUNNING', pid: writer.pid});
	return dir;
}

// The agent in a loop: the same tool call, each with a fresh timestamp, call id and wait.
const looping = "`${new Date().toISOString()} calling tool search_web (id ${randomUUID()}) after ${Math.round(Math.random() * 900)}ms, attempt ${n % 7}/10`";
const progressing = "`${new Date().toISOString()} processed item ${n}`";
const heartbeat = "`${new Date().toISOString()} alive`";

type Severities = Record<string, string[]>;

/** Each job's severities as told, in order; a repeat (an event for another reason, a new diagnosis) once. */
function severitiesByJob(events: Array<{args: [{jobId: string; severity: string}]}>): Severities {
	const seen: Severities = {};
	for (const {args} of events) {
		const list = (seen[args[0].jobId] ??= []);
		if (list.at(-1) !== args[0].severity) list.push(args[0].severity);
	}
	return seen;
}

describe('a job whose output only repeats (SPEC section 11), in a real engine', () => {
	it('climbs the silence tiers from its last new line, saying so, while a progressing job and a heartbeat stay ok', async () => {
		const jobsDir = makeTempDir();
		const loopDir = writingJob(jobsDir, 'looping', 'logs/output.log', looping);
		writingJob(jobsDir, 'progressing', 'logs/output.log', progressing);
		writingJob(jobsDir, 'beating', 'logs/heartbeat', heartbeat);
		// Tiers 2 s apart (low 2 s, medium 3 s, high 4 s, critical 6 s), so a loaded machine's late tick skips none.
		// The cadence signal off: a stalled writer on a loaded machine must not make the steady jobs flap.
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '4s', criticalTimeout: '6s', cadenceThreshold: '0'});
		// Its logs folder is looked at each tick once its folder is watched.
		expect(await watching([loopDir])).toBe(true);
		expect(await waitFor(() => assessments.some(event => event.args[0].jobId === 'looping' && event.args[0].severity === 'critical'), 30_000)).toBe(true);
		const seen = severitiesByJob(assessments);
		expect(seen['looping']).toEqual(['ok', 'low', 'medium', 'high', 'critical']);
		expect(seen['progressing']).toEqual(['ok']);
		expect(seen['beating']).toEqual(['ok']);
		const view = engine.getSnapshot().jobs.find(job => job.job.jobId === 'looping')!;
		const silence = JSON.parse(JSON.stringify(view.assessment!.evidence.find(signal => signal.name === 'silence'))) as Signal;
		expect(silence.message).toMatch(/^silent .*; output repeats: \d+ lines since the last new one, like ".*calling tool search_web \(id [\da-f-]{36}\)/);
		const sample = /like "(.*)"$/.exec(silence.message)![1]!;
		expect(sample.length).toBeLessThanOrEqual(120);
	});

	it('counts every write as activity with --no-loop-detection', async () => {
		const jobsDir = makeTempDir();
		const loopDir = writingJob(jobsDir, 'looping', 'logs/output.log', looping);
		// A silent twin says when silence alone makes a job low.
		const quiet = startProcess('sleep', ['60']);
		writeJob(jobsDir, 'quiet', {job_id: 'quiet', status: 'RUNNING', pid: quiet.pid});
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '4s', criticalTimeout: '6s', cadenceThreshold: '0', loopDetection: false});
		// Its logs folder is looked at each tick once its folder is watched.
		expect(await watching([loopDir])).toBe(true);
		expect(await waitFor(() => assessments.some(event => event.args[0].jobId === 'quiet' && event.args[0].severity === 'medium'), 30_000)).toBe(true);
		expect(severitiesByJob(assessments)['looping']).toEqual(['ok']);
		const view = engine.getSnapshot().jobs.find(job => job.job.jobId === 'looping')!;
		expect(view.assessment!.evidence.find(signal => signal.name === 'silence')!.message).not.toMatch(/repeats/);
	});
});

/** A job writing a new line every 300 ms for 6 s (20 intervals), then nothing: its process lives on, silent. */
function rhythmicJob(jobsDir: string): void {
	const dir = path.join(jobsDir, 'rhythmic');
	fs.mkdirSync(path.join(dir, 'logs'), {recursive: true});
	const log = JSON.stringify(path.join(dir, 'logs', 'output.log'));
	const writer = startNode(`const fs = require('fs'); let n = 0; const beat = setInterval(() => { fs.appendFileSync(${log}, 'step ' + n++ + '\\n'); if (n === 20) clearInterval(beat); }, 300); setInterval(() => {}, 1000)`);
	writeJob(jobsDir, 'rhythmic', {job_id: 'rhythmic', status: 'RUNNING', pid: writer.pid});
}

describe('a job whose rhythm breaks (SPEC section 13), in a real engine', () => {
	it('warns (low, then medium) long before silence would, and never higher', async () => {
		const jobsDir = makeTempDir();
		rhythmicJob(jobsDir);
		const {engine, assessments} = await startTestEngine(jobsDir, {workerTimeout: '60s', criticalTimeout: '120s'});
		expect(await waitFor(() => assessments.some(event => event.args[0].severity === 'medium'), 30_000)).toBe(true);
		const severities = assessments.map(event => event.args[0].severity);
		expect(severities.every(severity => ['ok', 'low', 'medium'].includes(severity))).toBe(true);
		const medium = assessments.find(event => event.args[0].severity === 'medium')!.args[0];
		const cadence = JSON.parse(JSON.stringify(medium.evidence.find(signal => signal.name === 'cadence'))) as Signal;
		expect(cadence).toMatchObject({severity: 'medium', threshold: 8});
		expect(cadence.value).toBeGreaterThanOrEqual(8);
		expect(cadence.message).toMatch(/^silent [\d.]+m?s, [\d.]+x its usual [\d.]+m?s$/);
		// Silence alone is far from low (30 s).
		expect(medium.evidence.find(signal => signal.name === 'silence')).toMatchObject({severity: 'ok'});
		// It stays a warning: a while later, still medium at most.
		const tick = engine.tickCount;
		await waitFor(() => engine.tickCount >= tick + 8, 10_000);
		expect(engine.getSnapshot().jobs[0]!.severity).toBe('medium');
	});
});

describe('a job whose rhythm breaks, under a headless sentinel that acts', () => {
	it('is notified through the ladder at medium, the cadence its evidence', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir();
		rhythmicJob(jobsDir);
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms', '--worker-timeout', '60s', '--critical-timeout', '120s']);
		const notify = await sentinel.waitForLine(line => line.type === 'intervention' && line['action'] === 'notify' && line['result'] === 'ok', 30_000);
		expect(notify).toMatchObject({job_id: 'rhythmic', severity: 'medium', actor: 'auto'});
		const evidence = notify['evidence'] as Signal[];
		expect(evidence.find(signal => signal.name === 'cadence')).toMatchObject({severity: 'medium'});
		expect(evidence.find(signal => signal.name === 'silence')).toMatchObject({severity: 'ok'});
		expect(sentinel.lines.filter(line => line.type === 'intervention').map(line => line['action'])).toEqual(['notify']);
	});
});
