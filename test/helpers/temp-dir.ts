import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {onTestFinished} from 'vitest';

/** A fresh directory removed when the current test finishes, pass or fail. */
export function makeTempDir(prefix = 'sentinel-test-'): string {
	const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
	onTestFinished(() => fs.rmSync(dir, {recursive: true, force: true}));
	return dir;
}

/** Write `<jobsDir>/<name>/job_manifest.json` and return the job directory. */
export function writeJob(jobsDir: string, name: string, manifest: unknown): string {
	const dir = path.join(jobsDir, name);
	fs.mkdirSync(dir, {recursive: true});
	const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2);
	fs.writeFileSync(path.join(dir, 'job_manifest.json'), text);
	return dir;
}
