import {spawnSync} from 'node:child_process';

// What Logist does with a manifest's stamps: subtract each from its own `datetime.now()`. A naive
// clock against a zoned stamp (or the reverse) raises "can't subtract offset-naive and
// offset-aware datetimes", which is how a wrongly formed stamp breaks Logist.
const script = `
import json, sys
from datetime import datetime, timezone
manifest = json.load(open(sys.argv[1]))
now = datetime.now(timezone.utc) if sys.argv[2] == 'aware' else datetime.now()
stamps = [manifest[k] for k in ('created_at', 'updated_at') if k in manifest]
stamps += [entry['timestamp'] for entry in manifest.get('history', []) if 'timestamp' in entry]
print(json.dumps({stamp: (now - datetime.fromisoformat(stamp)).total_seconds() for stamp in stamps}))
`;

/**
 * Every stamp of the manifest at `manifestPath` (created_at, updated_at, history) with its age in
 * seconds as python3 computes it from a naive (Logist's) or aware `datetime.now()`. Throws with
 * Python's error when a subtraction fails.
 */
export function agesAsLogistReads(manifestPath: string, clock: 'naive' | 'aware'): Record<string, number> {
	const result = spawnSync('python3', ['-c', script, manifestPath, clock], {encoding: 'utf8'});
	if (result.error) throw result.error;
	if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr.trim()}`);
	return JSON.parse(result.stdout) as Record<string, number>;
}
