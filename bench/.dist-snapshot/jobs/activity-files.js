import fs from 'node:fs/promises';
import path from 'node:path';
export const manifestName = 'job_manifest.json';
/**
 * Whether a file in a job directory is not the job's own activity: the lock, backups, and
 * anything the sentinel names `.sentinel*` (its temp files and state folder).
 */
export function isSentinelFile(relativePath) {
    const parts = relativePath.split(path.sep);
    const first = parts[0] ?? '';
    if (first === '.lock' || first === '.backups')
        return true;
    return parts.some(part => part.startsWith('.sentinel'));
}
/**
 * The newest mtime (epoch ms) of the files directly in `dir` or one level below, the sentinel's
 * own files left out. `ownWrite` is the mtime of the manifest as the sentinel last wrote it:
 * a manifest with exactly that mtime is the sentinel's write, not the job's activity.
 */
export async function latestFileActivity(dir, ownWrite) {
    let latest = null;
    const consider = async (file, relative, descend) => {
        if (isSentinelFile(relative))
            return;
        const stats = await fs.lstat(file).catch(() => null);
        if (!stats)
            return;
        if (stats.isDirectory()) {
            if (!descend)
                return;
            const names = await fs.readdir(file).catch(() => []);
            await Promise.all(names.map(async (name) => consider(path.join(file, name), path.join(relative, name), false)));
            return;
        }
        if (!stats.isFile())
            return;
        if (relative === manifestName && ownWrite !== undefined && stats.mtimeMs === ownWrite)
            return;
        if (latest === null || stats.mtimeMs > latest)
            latest = stats.mtimeMs;
    };
    const names = await fs.readdir(dir).catch(() => []);
    await Promise.all(names.map(async (name) => consider(path.join(dir, name), name, true)));
    return latest;
}
