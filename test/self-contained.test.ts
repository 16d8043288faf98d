import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {expect, test} from 'vitest';
import {finished, spawnPiped} from './helpers/cli.js';

// `npm ci && npm test` passes in a clone on any machine. The machine this project is built on keeps
// shared files in a folder beside the repository (`../shared`), where the Logist fixtures once
// were: here the tests that read the fixtures run again with that folder hidden under an empty
// tmpfs, in a mount namespace of their own, as on a machine that never had it.

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = path.resolve(root, '..', 'shared');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const fixtureTests = ['test/jobs/read-manifest.test.ts', 'test/jobs/update-manifest.test.ts', 'test/commands/status.test.ts', 'test/commands/headless.test.ts'];

test('the tests that read the Logist fixtures pass with the folder beside the repository hidden', async ctx => {
	if (spawnSync('unshare', ['--mount', 'true'], {stdio: 'ignore'}).status !== 0) ctx.skip('unshare --mount is not permitted here (it needs root)');
	// Hidden, and seen to be empty; a machine without the folder has nothing to hide.
	const hide = fs.existsSync(shared) ? 'mount -t tmpfs tmpfs "$1" && [ -z "$(ls -A "$1")" ] || exit 90; ' : '';
	const args = ['--mount', '--propagation', 'private', 'sh', '-c', `${hide}shift; exec "$@"`, 'sh', shared, process.execPath, vitest, 'run', '--maxWorkers=1', ...fixtureTests];
	// dist/ is built already, by this run's global setup.
	const run = await finished(spawnPiped('unshare', args, {cwd: root, env: {...process.env, SENTINEL_TEST_BUILT: '1', NO_COLOR: '1'}}));
	const output = `${run.stdout}\n${run.stderr}`;
	expect(run.code, output).toBe(0);
	expect(output.replaceAll(/\u001B\[[\d;]*m/g, '')).toMatch(/Test Files +4 passed \(4\)/);
}, 120_000);
