import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {cliEnv, finished, packageJson, spawnPiped, type Finished} from '../helpers/cli.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir} from '../helpers/temp-dir.js';

// The package as a user gets it: packed, installed with production dependencies only into an
// empty directory, and started through npx. Needs dist/ built (`npm test` builds first) and
// the npm registry. Slow (an install), so one test with a generous timeout.

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The environment for npm itself: a parent `npm test` must not hand its own settings down. */
function npmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
	return env;
}

async function npm(args: string[], cwd: string): Promise<Finished> {
	const result = await finished(spawnPiped('npm', args, {cwd, env: npmEnv()}));
	if (result.code !== 0) throw new Error(`npm ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
	return result;
}

/** Every .ts/.tsx file under source/, as the .js path tsc makes of it in dist/. */
function builtFromSource(): string[] {
	const source = path.join(root, 'source');
	return fs
		.readdirSync(source, {recursive: true, encoding: 'utf8'})
		.filter(file => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
		.map(file => path.posix.join('dist', file.split(path.sep).join('/').replace(/\.tsx?$/, '.js')))
		.sort();
}

describe('the npm package', () => {
	test('packs only what npx needs, installs with production dependencies, and runs', async () => {
		const packDir = makeTempDir('sentinel-pack-');
		const packed = await npm(['pack', '--ignore-scripts', '--pack-destination', packDir, '--json'], root);
		const [{filename}] = JSON.parse(packed.stdout) as [{filename: string}];
		const tarball = path.join(packDir, filename);

		const listing = await finished(spawnPiped('tar', ['tzf', tarball]));
		expect(listing.code).toBe(0);
		const files = listing.stdout.trim().split('\n').map(entry => entry.replace(/^package\//, ''));
		expect(files).toContain('package.json');
		expect(files).toContain(packageJson.bin['sentinel-tui']);
		expect(files.filter(file => /^(source|test|bench|\.ci|node_modules)\//.test(file))).toEqual([]);
		expect(files.filter(file => /\.(map|ts|tsx|tsbuildinfo)$/.test(file))).toEqual([]);
		expect(files.filter(file => !file.startsWith('dist/') && !/^(package\.json|readme\.md|license(\.md)?)$/i.test(file))).toEqual([]);
		// Exactly the build of today's sources: nothing missing (the demo's job scripts included), nothing stale.
		expect(files.filter(file => file.startsWith('dist/')).sort()).toEqual(builtFromSource());
		expect(files.filter(file => file.startsWith('dist/modes/demo-jobs/')).length).toBeGreaterThan(0);

		const app = makeTempDir('sentinel-install-');
		fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({name: 'sentinel-install-check', version: '0.0.0', private: true}));
		await npm(['install', '--omit=dev', '--no-audit', '--no-fund', tarball], app);
		const installed = path.join(app, 'node_modules');
		expect(fs.existsSync(path.join(installed, 'sentinel-tui', 'dist', 'cli.js'))).toBe(true);
		expect(fs.existsSync(path.join(installed, 'ink'))).toBe(true);
		for (const devOnly of ['typescript', 'vitest', 'fast-check', 'ink-testing-library']) {
			expect(fs.existsSync(path.join(installed, devOnly)), `${devOnly} installed`).toBe(false);
		}

		const home = makeTempDir('sentinel-home-');
		// --no: fail rather than fetch a package of that name from the registry; -- ends npx's own flags.
		const npx = async (...args: string[]) => finished(spawnPiped('npx', ['--no', '--', 'sentinel-tui', ...args], {cwd: app, env: cliEnv(home)}));

		const version = await npx('--version');
		expect(version).toMatchObject({code: 0, stdout: `${packageJson.version}\n`});
		const help = await npx('--help');
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('--headless');

		const empty = makeTempDir('sentinel-jobs-');
		const status = await npx('status', '--json', empty);
		expect(status.code).toBe(0);
		expect(JSON.parse(status.stdout)).toMatchObject({jobs_dir: empty, jobs: []});

		// The table loads Ink and its table: production dependencies must carry them.
		fs.mkdirSync(path.join(empty, 'one-job'));
		fs.writeFileSync(path.join(empty, 'one-job', 'job_manifest.json'), JSON.stringify({job_id: 'one-job', status: 'PENDING'}));
		const table = await npx('status', empty);
		expect(table.code).toBe(0);
		expect(table.stdout).toContain('│ one-job ');

		// The engine with its watcher, from the installed bin, stopped by SIGTERM.
		const headless = spawnPiped(path.join(installed, '.bin', 'sentinel-tui'), ['--headless', '--no-auto', empty], {cwd: app, env: cliEnv(home)});
		let out = '';
		headless.stdout!.on('data', chunk => (out += String(chunk)));
		const exit = finished(headless);
		expect(await waitFor(() => out.includes('"type":"job.added"'), 20_000)).toBe(true);
		headless.kill('SIGTERM');
		const stopped = await exit;
		expect(stopped.code).toBe(0);
		const lines = out.trim().split('\n').map(line => JSON.parse(line) as {type: string});
		expect(lines[0]!.type).toBe('sentinel.started');
		expect(lines.at(-1)!.type).toBe('sentinel.stopped');
	}, 120_000);
});
