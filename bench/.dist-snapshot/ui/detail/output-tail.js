import fs from 'node:fs';
import path from 'node:path';
import { sanitize } from '../../text/sanitize.js';
/** What the detail view reads at most: the last lines of the last 64 KB. */
export const tailLimits = { lines: 8, bytes: 64 * 1024 };
// What a terminal would show of a line that redraws itself with carriage returns (progress bars).
function lastRedraw(line) {
    const parts = line.split('\r').filter(part => part !== '');
    return parts.at(-1) ?? '';
}
/**
 * The last lines of `<dir>/logs/output.log`, sanitized. Only a regular file that really lies inside
 * the job directory is read (a link leading out of it is refused), without blocking on a FIFO.
 */
export async function readOutputTail(dir, limits = tailLimits) {
    const file = path.join(dir, 'logs', 'output.log');
    let realDir;
    let realFile;
    try {
        [realDir, realFile] = await Promise.all([fs.promises.realpath(dir), fs.promises.realpath(file)]);
    }
    catch {
        return { missing: 'no output log (logs/output.log)' };
    }
    if (!realFile.startsWith(realDir + path.sep))
        return { missing: 'logs/output.log leads outside the job directory: not read' };
    const handle = await fs.promises.open(realFile, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
        const stat = await handle.stat();
        if (!stat.isFile())
            return { missing: 'logs/output.log is not a regular file: not read' };
        const start = Math.max(0, stat.size - limits.bytes);
        const buffer = Buffer.alloc(stat.size - start);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
        const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
        // A read that starts mid-file starts mid-line (maybe mid-character): that piece is dropped.
        if (start > 0)
            lines.shift();
        if (lines.at(-1) === '')
            lines.pop();
        return { lines: lines.slice(-limits.lines).map(line => sanitize(lastRedraw(line))) };
    }
    finally {
        await handle.close();
    }
}
