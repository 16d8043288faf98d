import os from 'node:os';
import type {Writable} from 'node:stream';
import type {Engine} from '../../sentinel/engine.js';
import {JsonLines} from './json-lines.js';
import {jobFields} from './job-fields.js';

/**
 * `--headless`: the engine with no screen, its events as JSON lines on stdout until SIGINT or
 * SIGTERM. Resolves with the exit code once the engine has finished what it was doing.
 */
export async function runHeadless(engine: Engine, out: Writable, version: string, metricsAddress?: string): Promise<number> {
	const lines = new JsonLines(out);
	const {config} = engine;
	engine.on('job.added', job => lines.write('job.added', jobFields(job)));
	engine.on('job.removed', job => lines.write('job.removed', {job_id: job.jobId, dir: job.dir}));
	engine.on('job.invalid', job => lines.write('job.invalid', {job_id: job.jobId, dir: job.dir, error: job.error}));
	engine.on('assessment', change =>
		lines.write('assessment', {
			job_id: change.jobId,
			dir: change.dir,
			severity: change.severity,
			previous_severity: change.previousSeverity,
			evidence: change.evidence,
			diagnosis: change.diagnosis,
		}),
	);
	engine.on('intervention', ({dir, entry}) => lines.write('intervention', {...entry, dir, ts: entry.ts}));
	engine.on('notice', problem => lines.write('error', {error: problem.message, ...(problem.jobId ? {job_id: problem.jobId, dir: problem.dir} : {})}));
	lines.write('sentinel.started', {
		version,
		pid: process.pid,
		host: os.hostname(),
		jobs_dir: config.jobsDir,
		auto: config.auto && !config.dryRun,
		dry_run: config.dryRun,
		interval_ms: config.intervalMs,
		// Where `--metrics` listens, as bound (port 0 asks for any free one).
		...(metricsAddress ? {metrics: metricsAddress} : {}),
	});
	const stopped = new Promise<string>(resolve => {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
	});
	await engine.start();
	const signal = await stopped;
	await engine.stop();
	lines.write('sentinel.stopped', {signal, pid: process.pid});
	// The last line: a notice still on its way (a hook's late answer, a watch closing) stays unsaid.
	lines.closed = true;
	return 0;
}
