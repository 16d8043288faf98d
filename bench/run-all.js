// Runs every benchmark of SPEC section 9 in turn (each in a process of its own, so one's leftovers
// never weigh on the next), prints their tables, and writes them all as Markdown to
// bench/results.md for the readme. About 7 minutes with the defaults on 2 cores.
// Needs tmux and htop (apt-get install -y tmux htop) and a build (`npm run bench` builds first).
//   node bench/run-all.js [--only overhead,memory] [--soak-minutes 60] [--seconds 60]
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {formatMarkdown} from './lib/report.js';
import {cli, root} from './lib/sentinel.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const {values: flags} = parseArgs({
	options: {
		only: {type: 'string'},
		'soak-minutes': {type: 'string', default: '1'},
		seconds: {type: 'string', default: '60'},
	},
});

const benchmarks = [
	{name: 'overhead', args: ['--seconds', flags.seconds]},
	{name: 'change-to-screen', args: []},
	{name: 'hang-to-action', args: []},
	{name: 'stop-tree', args: []},
	{name: 'first-frame', args: []},
	{name: 'memory', args: ['--minutes', flags['soak-minutes']]},
];
const wanted = flags.only ? new Set(flags.only.split(',')) : null;
const chosen = benchmarks.filter(bench => !wanted || wanted.has(bench.name));
if (chosen.length === 0) {
	process.stderr.write(`--only: none of ${flags.only} is a benchmark (${benchmarks.map(bench => bench.name).join(', ')})\n`);
	process.exit(2);
}

function git(args) {
	const result = spawnSync('git', args, {cwd: root, encoding: 'utf8'});
	return result.status === 0 ? result.stdout.trim() : 'unknown';
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-all-'));
const sections = [];
let worst = 0;
const started = Date.now();
try {
	for (const bench of chosen) {
		const report = path.join(scratch, `${bench.name}.json`);
		const script = path.join(here, `${bench.name}.js`);
		process.stdout.write(`\n-- node bench/${bench.name}.js ${bench.args.join(' ')}\n`);
		const benchStarted = Date.now();
		const result = spawnSync(process.execPath, [script, ...bench.args, '--report', report], {stdio: 'inherit'});
		const seconds = Math.round((Date.now() - benchStarted) / 1000);
		const code = result.status ?? 2;
		worst = Math.max(worst, code);
		if (fs.existsSync(report)) {
			const table = JSON.parse(fs.readFileSync(report, 'utf8'));
			table.notes = [...(table.notes ?? []), `\`node bench/${bench.name}.js ${bench.args.join(' ')}\` took ${seconds} s`];
			sections.push(formatMarkdown(table));
		} else {
			sections.push(`### ${bench.name}\n\nThe benchmark failed (exit ${code}${result.signal ? `, ${result.signal}` : ''}) after ${seconds} s; run \`node bench/${bench.name}.js\` to see why.`);
		}
	}
} finally {
	fs.rmSync(scratch, {recursive: true, force: true});
}

const header = [
	'# Benchmarks (SPEC section 9)',
	'',
	`Written by \`npm run bench\` (bench/run-all.js) on ${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s in all.`,
	`Commit ${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain']) ? ' with uncommitted changes' : ''}; ${path.relative(root, cli)}; node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); load average ${os.loadavg()[0].toFixed(2)} at the end.`,
	'Each table sets our figure beside a peer (or the budget\'s limit) measured in the same run. "info" rows explain a figure; only pass/FAIL rows are budgets.',
	'',
];
const verdict = worst === 0 ? 'every budget met' : worst === 1 ? 'some budgets missed' : 'some benchmarks failed';
// A partial run (--only) never replaces the full set of tables the readme shows.
if (wanted) process.stdout.write(`\n${verdict}; bench/results.md left as it was (--only)\n`);
else {
	fs.writeFileSync(path.join(here, 'results.md'), `${[...header, ...sections].join('\n\n').replace(/\n{3,}/g, '\n\n')}\n`);
	process.stdout.write(`\nwrote bench/results.md (${verdict})\n`);
}
process.exit(worst);
