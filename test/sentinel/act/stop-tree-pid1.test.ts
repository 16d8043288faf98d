import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {expect, it} from 'vitest';
import {makeTempDir} from '../../helpers/temp-dir.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const namespace = ['--pid', '--fork', '--mount-proc'];

// Run inside a fresh pid namespace, where pid 1 is the `sh` that started this script.
const script = `
import {execFileSync} from 'node:child_process';
import {stopTree} from './sentinel/act/stop-tree.js';
const calls = [];
const kill = (pid, signal) => calls.push([pid, signal]);
const pid1 = await stopTree(1, {graceMs: 100, guard: () => null, kill});
const sleeper = Number(process.argv[2]);
const job = await stopTree(sleeper, {graceMs: 2000, guard: () => null});
console.log(JSON.stringify({self: process.pid, init: execFileSync('cat', ['/proc/1/comm'], {encoding: 'utf8'}).trim(), calls, pid1, job}));
`;

it('refuses a job naming pid 1 of its pid namespace, and still stops a real job there', async ctx => {
	const probe = spawnSync('unshare', [...namespace, 'true'], {stdio: 'ignore', timeout: 10_000});
	if (probe.status !== 0) ctx.skip('unshare --pid --fork --mount-proc is not permitted here (needs root or user namespaces)');

	const out = makeTempDir('sentinel-pid1-');
	const tsc = spawnSync(
		path.join(repo, 'node_modules/.bin/tsc'),
		['source/sentinel/act/stop-tree.ts', '--ignoreConfig', '--outDir', out, '--rootDir', 'source', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', '--noCheck'],
		{cwd: repo, encoding: 'utf8', timeout: 60_000},
	);
	expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
	fs.writeFileSync(path.join(out, 'package.json'), '{"type": "module"}');
	fs.writeFileSync(path.join(out, 'run.mjs'), script);

	// `; exit` keeps sh from exec'ing node, so sh stays pid 1; the namespace dies with it.
	const shell = `sleep 30 & ${JSON.stringify(process.execPath)} run.mjs $!; exit $?`;
	const run = spawnSync('unshare', [...namespace, 'sh', '-c', shell], {cwd: out, encoding: 'utf8', timeout: 20_000});
	expect(run.status, run.stderr).toBe(0);
	const result = JSON.parse(run.stdout);

	expect(result.init).toBe('sh');
	expect(result.self).not.toBe(1);
	expect(result.calls).toEqual([]);
	expect(result.pid1.signalled).toEqual([]);
	expect(result.pid1.refused).toEqual([{pid: 1, reason: expect.stringMatching(/refusing to signal pid 1/)}]);
	expect(result.job.signalled).toHaveLength(1);
	expect(result.job.survivors).toEqual([]);
});
