import fs from 'node:fs';
import { spawn } from 'node:child_process';
const heldHere = new Set();
function runFlock(fd) {
    // Node has no flock(2). flock(1) locks fd 3, which is our open file description, so the lock
    // stays ours after flock(1) exits, and Python's fcntl.flock (Logist) sees it.
    return new Promise(resolve => {
        const child = spawn('flock', ['--nonblock', '--exclusive', '3'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
        child.once('error', () => resolve(false));
        child.once('exit', code => resolve(code === 0));
    });
}
/**
 * Try once to take an exclusive flock on `file` (created if missing, owned like `ownerOf` when given).
 * Never blocks: resolves null when the lock is held elsewhere, in this process included.
 */
export async function tryLock(file, ownerOf) {
    if (heldHere.has(file))
        return null;
    heldHere.add(file);
    let fd;
    try {
        const existed = fs.existsSync(file);
        // O_NOFOLLOW: a job owner could plant `.lock` as a link to a file a root sentinel must not touch.
        fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o644);
        if (!existed && ownerOf)
            fs.fchownSync(fd, ownerOf.uid, ownerOf.gid);
    }
    catch (error) {
        heldHere.delete(file);
        throw error;
    }
    const locked = await runFlock(fd).catch(() => false);
    if (!locked) {
        fs.closeSync(fd);
        heldHere.delete(file);
        return null;
    }
    let released = false;
    return {
        file,
        release() {
            if (released)
                return;
            released = true;
            heldHere.delete(file);
            fs.closeSync(fd);
        },
    };
}
