// How the benchmarks start the built sentinel: its bin, dist/bin/sentinel-tui.js, run by its path as
// npx runs it (its first lines choose node's flags), in a clean environment.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The build to measure: dist/, or BENCH_DIST (a copy built elsewhere under the project, to measure one build while dist/ changes). */
export const dist = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(root, 'dist');
export const cli = path.join(dist, 'bin', 'sentinel-tui.js');

/** Fail early, with the fix, when the build is missing. */
export function requireBuild() {
	if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (or \`npm run bench\`)`);
}

/**
 * The environment the sentinel runs in: ours, less CI (Ink prints only the last frame under CI)
 * and any SENTINEL_* / LOGIST_JOBS_DIR setting, with config and state homes in `home` so no
 * user config file is read.
 */
export function sentinelEnv(home, extra = {}) {
	const env = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('SENTINEL_') || name === 'LOGIST_JOBS_DIR') continue;
		env[name] = value;
	}
	fs.mkdirSync(path.join(home, 'config'), {recursive: true});
	fs.mkdirSync(path.join(home, 'state'), {recursive: true});
	return {...env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'), LANG: env.LANG || 'C.UTF-8', ...extra};
}

/**
 * The node flags the bin starts itself with (its second line: `exec node FLAGS "$0"`), read from
 * the build measured, so a peer run with them runs as ours does.
 */
export function binNodeFlags() {
	const line = fs.readFileSync(cli, 'utf8').split('\n')[1] ?? '';
	const match = /\bexec node ((?:--[\w=.-]+ ?)*)"\$0"/.exec(line);
	if (!match) throw new Error(`cannot read the node flags from the first lines of ${cli}`);
	return match[1].trim().split(/\s+/).filter(Boolean);
}

/** argv for the sentinel: `dist/bin/sentinel-tui.js ...args`. */
export function sentinelArgv(args) {
	return [cli, ...args];
}
