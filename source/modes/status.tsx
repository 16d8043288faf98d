import fs from 'node:fs';
import type {Writable} from 'node:stream';
import type {Config} from '../config/load-config.js';
import {Engine} from '../sentinel/engine.js';
import {formatSize} from '../config/units.js';
import {formatCompactDuration} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {statusDocument, statusExitCode} from './status-report.js';

/** Time between the two samples, so CPU is a rate and not a lifetime average. */
const cpuWindowMs = 250;

function tableRows(document: ReturnType<typeof statusDocument>) {
	return document.jobs.map(job => ({
		JOB: sanitize(job.job_id),
		ROLE: job.role ?? '',
		STATUS: job.valid ? sanitize(job.status ?? '') : 'INVALID',
		PID: job.pid ?? '',
		SEVERITY: job.severity ?? 'invalid',
		SILENT: job.silence_s === null ? '' : formatCompactDuration(job.silence_s * 1000),
		'CPU%': job.cpu_percent ?? '',
		MEM: job.rss_bytes === null ? '' : formatSize(job.rss_bytes),
		WHY: sanitize(job.error ?? job.evidence.filter(signal => signal.severity !== 'ok').map(signal => signal.message).join('; ')),
	}));
}

/** `status`: one assessment of every job, as a table or JSON; exit codes as monitoring plugins use. */
export async function runStatus(config: Config, options: {json: boolean; stdout: Writable; stderr: Writable}): Promise<number> {
	if (!fs.existsSync(config.jobsDir)) {
		options.stderr.write(`sentinel-tui: jobs directory ${config.jobsDir} does not exist\n`);
		return 3;
	}
	const engine = new Engine(config, {watch: false});
	await engine.tick();
	await new Promise(resolve => setTimeout(resolve, cpuWindowMs));
	await engine.tick();
	await engine.stop();
	const snapshot = engine.getSnapshot();
	const document = statusDocument(snapshot);
	if (options.json) {
		options.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
	} else if (document.jobs.length === 0) {
		options.stdout.write(`No jobs in ${snapshot.jobsDir}\n`);
	} else {
		// Ink takes most of a second to load: only the table pays for it, never a monitoring plugin's --json.
		const [{renderToString}, {Table}] = await Promise.all([import('ink'), import('@alcalzone/ink-table')]);
		const columns = (options.stdout as NodeJS.WriteStream).columns ?? 200;
		options.stdout.write(`${renderToString(<Table data={tableRows(document)} />, {columns: Math.max(columns, 200)})}\n`);
	}
	return statusExitCode(snapshot.jobs);
}
