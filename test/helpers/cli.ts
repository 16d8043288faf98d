import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ChildProcess, SpawnOptions} from 'node:child_process';
import {makeTempDir} from './temp-dir.js';
import {startProcess} from './processes.js';

/** The built binary, built once before the tests by their global setup (test/helpers/build.ts). */
export const cliPath = fileURLToPath(new URL('../../dist/bin/sentinel-tui.js', import.meta.url));

/** The project's own package.json, for the version and the bin name. */
export const packageJson = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
	name: string;
	version: string;
	bin: Record<string, string>;
	files: string[];
};

/**
 * The environment a spawned CLI gets: no SENTINEL_* or LOGIST_* variables, no XDG homes, and a
 * HOME of its own, so an operator's config file or jobs directory never leaks into a test.
 */
export function cliEnv(home = makeTempDir('sentinel-home-'), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^(SENTINEL_|LOGIST_|XDG_CONFIG_HOME$|XDG_STATE_HOME$)/.test(name)) continue;
		env[name] = value;
	}
	return {...env, HOME: home, ...extra};
}

export type Finished = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Collect a child's output and wait for it to exit. */
export async function finished(child: ChildProcess): Promise<Finished> {
	let stdout = '';
	let stderr = '';
	// Decoded as a stream: a character whose bytes two reads split stays whole.
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (code, signal) => resolve({code, signal, stdout, stderr}));
	});
}

/** Start any command with stdin closed (so never a TTY) and stdout/stderr piped; killed when the test ends. */
export function spawnPiped(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	return startProcess(command, args, {env: cliEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe']});
}

/** Start `node dist/bin/sentinel-tui.js ...args` with a clean environment. */
export function startCli(args: string[], options: SpawnOptions = {}): ChildProcess {
	if (!fs.existsSync(cliPath)) throw new Error(`${path.relative(process.cwd(), cliPath)} is missing: run npm run build first`);
	return spawnPiped(process.execPath, [cliPath, ...args], options);
}

/** Run `node dist/bin/sentinel-tui.js ...args` to its end. */
export async function runCli(args: string[], options: SpawnOptions = {}): Promise<Finished> {
	return finished(startCli(args, options));
}
