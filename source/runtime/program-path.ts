import fs from 'node:fs';
import path from 'node:path';

/**
 * The file of the running program: dist/bin/sentinel-tui.js, however it was started (npx's link,
 * a shell's PATH, `node file`). Code bundled into a chunk cannot find its neighbours from
 * import.meta.url, which names the chunk; the demo starts this same program and its job scripts
 * by this path instead.
 */
export function programPath(): string {
	const started = process.argv[1] ?? '';
	try {
		return fs.realpathSync(started);
	} catch {
		return path.resolve(started);
	}
}

/** A file shipped beside the program, e.g. `demo-jobs/silent-worker.js`. */
export function besideProgram(relative: string): string {
	return path.join(path.dirname(programPath()), relative);
}
