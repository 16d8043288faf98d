// The shared entry of every benchmark: parse flags, run, clean up, print the table, save it for
// run-all, and exit 0 (all budgets met), 1 (a budget missed) or 2 (the benchmark itself failed).
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {cleanupAll} from './cleanup.js';
import {allPassed, formatText, saveTable} from './report.js';

/** True when the module at `url` is the script node was asked to run. */
export function isMain(url) {
	return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(url);
}

/**
 * Run `bench(flags)` as a command: `options` are node:util parseArgs options; `--report FILE`
 * (given by run-all) saves the table as JSON.
 */
export async function runBench(bench, options = {}) {
	let flags;
	try {
		({values: flags} = parseArgs({options: {...options, report: {type: 'string'}, help: {type: 'boolean'}}, strict: true}));
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(2);
	}
	if (flags.help) {
		const names = Object.entries(options).map(([name, spec]) => `--${name}${spec.type === 'string' ? ' VALUE' : ''}${spec.default === undefined ? '' : ` (default ${spec.default})`}`);
		process.stdout.write(`flags: ${names.join(', ')}\n`);
		return;
	}
	let table;
	try {
		table = await bench(flags);
	} catch (error) {
		cleanupAll();
		process.stderr.write(`benchmark failed: ${error.stack ?? error}\n`);
		process.exit(2);
	}
	cleanupAll();
	process.stdout.write(`${formatText(table)}\n`);
	saveTable(table, flags.report);
	process.exit(allPassed(table) ? 0 : 1);
}

/** A number flag, refusing nonsense. */
export function numberFlag(flags, name) {
	const value = Number(flags[name]);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: ${flags[name]} is not a positive number`);
	return value;
}
