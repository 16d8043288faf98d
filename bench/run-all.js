// Runs every benchmark of SPEC section 9 in turn (each in a process of its own, so one's leftovers
// never weigh on the next), prints their tables, and writes bench/results.md whole (the tables as
// Markdown) with bench/results-raw.txt beside it (everything the benchmarks printed).
// What is measured is a clean tree: HEAD exported to a temp folder, built there, and benchmarked
// by its own bench/ scripts, so the figures belong to the commit they name even while the work
// tree holds others' uncommitted edits (so `npm run bench` builds nothing else first). --worktree
// measures the work tree's dist/ and bench/ instead (to try a change: `npm run build` first), and
// like --only never writes the results.
// About 13 minutes with the defaults on 2 cores. Needs tmux, htop, btop and prometheus
// (apt-get install -y tmux htop btop prometheus).
//   node bench/run-all.js [--only overhead,memory] [--worktree] [--soak-minutes 60] [--seconds 60]
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {onCleanup} from './lib/cleanup.js';
import {countVerdicts, formatMarkdown} from './lib/report.js';
import {root} from './lib/sentinel.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const {values: flags} = parseArgs({
	options: {
		only: {type: 'string'},
		worktree: {type: 'boolean', default: false},
		'soak-minutes': {type: 'string', default: '1'},
		seconds: {type: 'string', default: '60'},
	},
});

const benchmarks = [
	{name: 'overhead', args: ['--seconds', flags.seconds]},
	{name: 'output-cost', args: ['--seconds', flags.seconds]},
	{name: 'change-to-screen', args: []},
	{name: 'hang-to-action', args: []},
	{name: 'stop-tree', args: []},
	{name: 'evidence', args: []},
	{name: 'first-frame', args: []},
	{name: 'memory', args: ['--minutes', flags['soak-minutes']]},
	{name: 'metrics', args: []},
	{name: 'detection', args: []},
	{name: 'fleet', args: []},
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

/** Everything printed, kept for results-raw.txt. */
const raw = [];
function print(text, stream = process.stdout) {
	stream.write(text);
	raw.push(text);
}

/** HEAD exported and built in a temp folder (node_modules linked from the work tree): its root. */
function cleanBuild() {
	const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-head-'));
	onCleanup(`rm ${tree}`, () => fs.rmSync(tree, {recursive: true, force: true}));
	const archive = spawnSync('sh', ['-c', `git archive --format=tar HEAD | tar -x -C '${tree}'`], {cwd: root, stdio: 'inherit'});
	if (archive.status !== 0) throw new Error('git archive HEAD failed');
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
	print(`-- npm run build, in a clean export of HEAD (${tree})\n`);
	const build = spawnSync('npm', ['run', 'build'], {cwd: tree, encoding: 'utf8'});
	if (build.status !== 0) throw new Error(`the build of HEAD failed:\n${build.stdout}${build.stderr}`);
	return tree;
}

/** Run one benchmark script, its output shown and kept; resolves with its exit code and signal. */
function runOne(script, args, cwd, env) {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [script, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.on('data', chunk => print(chunk.toString()));
		child.stderr.on('data', chunk => print(chunk.toString(), process.stderr));
		child.on('close', (code, signal) => resolve({code: code ?? 2, signal}));
	});
}

const writes = !wanted && !flags.worktree;
const tree = flags.worktree ? root : cleanBuild();
// The measured tree's scripts find their build by their own path; a BENCH_DIST set outside must not redirect them.
const env = {...process.env};
if (!flags.worktree) delete env.BENCH_DIST;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-all-'));
onCleanup(`rm ${scratch}`, () => fs.rmSync(scratch, {recursive: true, force: true}));
const sections = [];
const verdicts = {pass: 0, noise: 0, fail: 0};
let worst = 0;
const started = Date.now();
for (const bench of chosen) {
	const report = path.join(scratch, `${bench.name}.json`);
	print(`\n-- node bench/${bench.name}.js ${bench.args.join(' ')}\n`);
	const benchStarted = Date.now();
	const {code, signal} = await runOne(path.join(tree, 'bench', `${bench.name}.js`), [...bench.args, '--report', report], tree, env);
	const seconds = Math.round((Date.now() - benchStarted) / 1000);
	worst = Math.max(worst, code);
	if (fs.existsSync(report)) {
		const table = JSON.parse(fs.readFileSync(report, 'utf8'));
		table.notes = [...(table.notes ?? []), `\`node bench/${bench.name}.js ${bench.args.join(' ')}\` took ${seconds} s`];
		sections.push(formatMarkdown(table));
		for (const [verdict, count] of Object.entries(countVerdicts(table))) verdicts[verdict] += count;
	} else {
		sections.push(`### ${bench.name}\n\nThe benchmark failed (exit ${code}${signal ? `, ${signal}` : ''}) after ${seconds} s; bench/results-raw.txt has what it printed.`);
	}
}

const dirty = git(['status', '--porcelain']) !== '';
const measured = flags.worktree ? `the work tree as it is${dirty ? ' (with uncommitted changes)' : ''}, ${path.relative(root, path.join(tree, 'dist'))}/` : `a clean export of HEAD, built by run-all${dirty ? ' (the work tree\'s uncommitted changes were not measured)' : ''}`;
const summary = `${verdicts.pass} budgets met, ${verdicts.noise} within the run-to-run noise, ${verdicts.fail} missed${worst === 2 ? '; some benchmarks failed' : ''}`;
const header = [
	'# Benchmarks (SPEC section 9)',
	'',
	`Written whole by \`npm run bench\` (bench/run-all.js) on ${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s in all; what the benchmarks printed is in [results-raw.txt](results-raw.txt).`,
	`Commit ${git(['rev-parse', '--short', 'HEAD'])}: ${measured}; node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); load average ${os.loadavg()[0].toFixed(2)} at the end.`,
	'Each table sets our figure beside a peer (or the budget\'s limit) measured in the same run. "info" rows explain a figure; pass, "within noise" and FAIL rows are budgets. A budget measured over several runs (or windows of one) is "within noise" when some met it and some did not.',
	'',
	`**${summary}.**`,
	'',
];
if (writes) {
	fs.writeFileSync(path.join(here, 'results.md'), `${[...header, ...sections].join('\n\n').replace(/\n{3,}/g, '\n\n')}\n`);
	fs.writeFileSync(path.join(here, 'results-raw.txt'), `${header.slice(2, 4).join('\n')}\n${raw.join('')}`);
	print(`\nwrote bench/results.md and bench/results-raw.txt (${summary})\n`);
} else print(`\n${summary}; bench/results.md left as it was (${flags.worktree ? '--worktree' : '--only'})\n`);
process.exit(worst);
