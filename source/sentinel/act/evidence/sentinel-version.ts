import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let known: string | undefined;

/**
 * This sentinel's version, from its package.json: the nearest one above this module (the bundle
 * lies in dist/bin/, the sources in source/); read once, on the first evidence kept.
 */
export function sentinelVersion(): string {
	if (known !== undefined) return known;
	known = 'unknown';
	for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
		try {
			const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: unknown; version?: unknown};
			if (manifest.name === 'sentinel-tui' && typeof manifest.version === 'string') return (known = manifest.version);
		} catch {}
		if (path.dirname(dir) === dir) return known;
	}
}
