import fs from 'node:fs';
import type {Writable} from 'node:stream';
import type {Config} from '../../config/load-config.js';
import {Engine} from '../../sentinel/engine.js';
import {sentinelFolderProblem} from '../../sentinel/act/sentinel-folder.js';
import {terminalSafeJson} from '../../text/safe-json.js';
import {sanitize} from '../../text/sanitize.js';
import {statusDocument, statusExitCode} from './status-report.js';
import {fitRows, tableRows} from './status-table.js';

/** Time between the two samples, so CPU is a rate and not a lifetime average. */
const cpuWindowMs = 250;

/** `status`: one assessment of every job, as a table or JSON; exit codes as monitoring plugins use. */
export async function runStatus(config: Config, options: {json: boolean; stdout: Writable; stderr: Writable}): Promise<number> {
	if (!fs.existsSync(config.jobsDir)) {
		options.stderr.write(`sentinel-tui: jobs directory ${config.jobsDir} does not exist\n`);
		return 3;
	}
	const engine = new Engine(config, {watch: false});
	// Notices (a future stamp, an unreadable folder) go to stderr, each once: stdout stays the report.
	const said = new Set<string>();
	engine.on('notice', ({message}) => {
		if (said.has(message)) return;
		said.add(message);
		options.stderr.write(`sentinel-tui: ${sanitize(message)}\n`);
	});
	// `status` never competes for the lead; it still says when no sentinel could (SPEC section 5).
	const folderProblem = sentinelFolderProblem(config.jobsDir);
	if (folderProblem) options.stderr.write(`sentinel-tui: no sentinel can take part in the leader election here: ${sanitize(folderProblem)}\n`);
	await engine.tick();
	await new Promise(resolve => setTimeout(resolve, cpuWindowMs));
	await engine.tick();
	await engine.stop();
	const snapshot = engine.getSnapshot();
	const document = statusDocument(snapshot);
	if (options.json) {
		options.stdout.write(`${terminalSafeJson(document, 2)}\n`);
	} else if (document.jobs.length === 0) {
		options.stdout.write(`No jobs in ${snapshot.jobsDir}\n`);
	} else {
		// Ink takes most of a second to load: only the table pays for it, never a monitoring plugin's --json.
		const [{renderToString}, {Table}] = await Promise.all([import('ink'), import('@alcalzone/ink-table')]);
		const stdout = options.stdout as Partial<NodeJS.WriteStream>;
		const terminal = stdout.isTTY && stdout.columns ? stdout.columns : null;
		const table = fitRows(tableRows(document), terminal);
		// As wide as the table, so Ink never wraps a row (a terminal too narrow for even the titles cuts them).
		options.stdout.write(`${renderToString(<Table data={table.rows} />, {columns: table.width})}\n`);
	}
	return statusExitCode(snapshot.jobs);
}
