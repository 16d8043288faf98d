import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

// vitest's global setup: one build of dist/ before any test file runs, so a file run alone tests
// today's source, and no test builds (and so swaps dist/) under another that reads it. Each
// project of vitest.config.ts calls it; the first call builds for all of them.
export default function buildOnce(): void {
	if (process.env['SENTINEL_TEST_BUILT'] === '1') return;
	const root = fileURLToPath(new URL('../..', import.meta.url));
	const build = spawnSync('npm', ['run', 'build', '--silent'], {cwd: root, encoding: 'utf8'});
	// tsc prints its errors on stdout, rolldown on stderr.
	if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`.slice(-4000));
	process.env['SENTINEL_TEST_BUILT'] = '1';
}
