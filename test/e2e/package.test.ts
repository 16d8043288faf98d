import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {cliEnv, finished, packageJson, spawnPiped, type Finished} from '../helpers/cli.js';
import {waitFor} from '../helpers/processes.js';
import {makeTempDir} from '../helpers/temp-dir.js';

// The package as a user gets it: packed, installed with production dependencies only into an
// empty directory, and started through npx (and so through the bin's own first lines). Needs
// dist/ built (the global setup builds it) and the npm registry. Slow (an install), so one test
// with a generous timeout.

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

/** Every file of the built program, dist/bin/, as npm names it in the tarball. */
function builtProgram(): string[] {
	const bin = path.join(root, 'dist', 'bin');
	return fs
		.readdirSync(bin, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile())
		.map(entry => path.posix.join('dist/bin', path.relative(bin, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')))
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
		// Exactly today's bundle: nothing missing (the demo's job scripts, the notices), nothing stale.
		expect(files.filter(file => file.startsWith('dist/')).sort()).toEqual(builtProgram());
		expect(files.filter(file => file.startsWith('dist/bin/demo-jobs/')).length).toBeGreaterThan(0);
		expect(files).toContain('dist/bin/THIRD-PARTY-NOTICES.md');

		const app = makeTempDir('sentinel-install-');
		fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({name: 'sentinel-install-check', version: '0.0.0', private: true}));
		await npm(['install', '--omit=dev', '--no-audit', '--no-fund', tarball], app);
		const installed = path.join(app, 'node_modules');
		// The bundle carries its libraries: installing it fetches this one package and nothing else.
		expect(fs.readdirSync(installed).filter(name => !name.startsWith('.'))).toEqual(['sentinel-tui']);
		expect(fs.statSync(path.join(installed, 'sentinel-tui', packageJson.bin['sentinel-tui']!)).mode & 0o111).not.toBe(0);

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

		// The table loads Ink and its table: the bundle must carry them.
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
