import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { tryLock } from '../jobs/file-lock.js';
const leaderSchema = z.object({
    pid: z.number().int().positive(),
    host: z.string(),
    // Start time of the holder in clock ticks (/proc/<pid>/stat), so a reused pid is not taken for it.
    start: z.string().nullable().default(null),
    since: z.string().optional(),
});
function startTicks(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
    }
    catch {
        return null;
    }
}
function isRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
function inodeOf(file) {
    try {
        return fs.statSync(file).ino;
    }
    catch {
        return null;
    }
}
/**
 * One actor per jobs directory: only the holder of `<jobs-dir>/.sentinel/leader.lock` (flock)
 * acts automatically. The kernel drops the lock when the holder dies, so another sentinel's next
 * `tryAcquire` succeeds. The holder names itself in `leader.json` for observers.
 */
export class LeaderLock {
    jobsDir;
    lockFile;
    infoFile;
    lock = null;
    lockInode = null;
    acquiring = null;
    constructor(jobsDir) {
        this.jobsDir = jobsDir;
        this.lockFile = path.join(jobsDir, '.sentinel', 'leader.lock');
        this.infoFile = path.join(jobsDir, '.sentinel', 'leader.json');
    }
    /** True while this instance holds the lock. */
    get held() {
        return this.lock !== null;
    }
    /** Takes the lock if it is free; true when this instance holds it. Never waits for it. */
    tryAcquire() {
        this.acquiring ??= this.acquire().finally(() => {
            this.acquiring = null;
        });
        return this.acquiring;
    }
    /** Gives the lock up (automatic action off, or quitting). */
    release() {
        if (!this.lock)
            return;
        if (this.readInfo()?.pid === process.pid)
            fs.rmSync(this.infoFile, { force: true });
        this.lock.release();
        this.lock = null;
        this.lockInode = null;
    }
    /** The sentinel that acts, as far as can be told; null when none does. */
    holder() {
        if (this.lock)
            return { pid: process.pid, host: os.hostname() };
        const info = this.readInfo();
        if (!info)
            return null;
        // On this host a dead holder, or its pid taken by another process, is told apart; elsewhere the file is trusted.
        if (info.host === os.hostname()) {
            if (!isRunning(info.pid))
                return null;
            if (info.start !== null && startTicks(info.pid) !== null && startTicks(info.pid) !== info.start)
                return null;
        }
        return { pid: info.pid, host: info.host };
    }
    async acquire() {
        if (this.lock) {
            // A lock file removed or replaced under us no longer keeps others out.
            if (inodeOf(this.lockFile) === this.lockInode) {
                const info = this.readInfo();
                if (info?.pid !== process.pid || info.host !== os.hostname())
                    this.writeInfo();
                return true;
            }
            this.release();
        }
        try {
            fs.mkdirSync(path.dirname(this.lockFile), { recursive: true });
            this.lock = await tryLock(this.lockFile);
        }
        catch {
            this.lock = null;
        }
        if (!this.lock)
            return false;
        this.lockInode = inodeOf(this.lockFile);
        this.writeInfo();
        return true;
    }
    readInfo() {
        try {
            const result = leaderSchema.safeParse(JSON.parse(fs.readFileSync(this.infoFile, 'utf8')));
            return result.success ? result.data : null;
        }
        catch {
            return null;
        }
    }
    writeInfo() {
        const info = { pid: process.pid, host: os.hostname(), start: startTicks(process.pid), since: new Date().toISOString() };
        const temporary = `${this.infoFile}.${process.pid}.tmp`;
        try {
            fs.writeFileSync(temporary, `${JSON.stringify(info)}\n`);
            fs.renameSync(temporary, this.infoFile);
        }
        catch {
            // Observers then show no holder; acting does not depend on this file.
            fs.rmSync(temporary, { force: true });
        }
    }
}
