import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { tryLock } from '../jobs/file-lock.js';
const hourMs = 60 * 60 * 1000;
// A sentinel never waits long for another one's write: a few short tries, then the next change.
const lockRetryDelaysMs = [0, 5, 10, 20, 40];
// Loose objects keep fields a newer sentinel may have written.
const interventionSchema = z.looseObject({
    job_id: z.string(),
    action: z.enum(['recover', 'terminate']),
    at: z.iso.datetime({ offset: true }),
    action_id: z.string().optional(),
});
const stateSchema = z.looseObject({
    version: z.literal(1).default(1),
    interventions: z.array(interventionSchema).default([]),
    paused: z.array(z.string()).default([]),
});
/** `<jobs-dir>/.sentinel/state.json`. */
export function stateFile(jobsDir) {
    return path.join(jobsDir, '.sentinel', 'state.json');
}
function emptyState() {
    return { version: 1, interventions: [], paused: [] };
}
/**
 * What the sentinels of one jobs directory remember across restarts: automatic interventions of
 * the last hour (the hourly limit, the fourth-recovery rule) and paused jobs. Shared by every
 * sentinel on the directory: each change is applied to a fresh read of the file under
 * `state.lock`, so no sentinel loses another's counts.
 */
export class StateStore {
    file;
    options;
    fileState = emptyState();
    view = emptyState();
    pending = [];
    writes = Promise.resolve(true);
    loadedKey = '';
    lastProblem = null;
    now;
    lockFile;
    constructor(file, options = {}) {
        this.file = file;
        this.options = options;
        this.now = options.now ?? Date.now;
        this.lockFile = path.join(path.dirname(file), 'state.lock');
    }
    /** Why the file could not be read or written last time, or null. */
    get problem() {
        return this.lastProblem;
    }
    /** Reads the file again when it changed (cheap when it did not): call it every tick. */
    load() {
        let key;
        try {
            const stat = fs.statSync(this.file);
            key = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
        }
        catch {
            key = 'missing';
        }
        if (key === this.loadedKey)
            return;
        this.loadedKey = key;
        this.fileState = this.read();
        this.refreshView();
    }
    /** Automatic recover/terminate actions since `sinceMs` (epoch ms), by every sentinel. */
    interventionsSince(sinceMs) {
        return this.view.interventions.filter(item => Date.parse(item.at) >= sinceMs).length;
    }
    /** Automatic recoveries of one job since `sinceMs` (epoch ms). */
    recoveriesSince(jobId, sinceMs) {
        return this.view.interventions.filter(item => item.job_id === jobId && item.action === 'recover' && Date.parse(item.at) >= sinceMs).length;
    }
    /**
     * Counts an automatic action at `at` (epoch ms); an `actionId` already counted is not counted
     * again (a sentinel finishing another's `started` action). Seen by this store at once; resolves
     * true once it is on disk, false when it could not be written yet (retried with the next change
     * or `flush`).
     */
    recordIntervention(jobId, action, at, actionId) {
        return this.change(state => {
            if (actionId && state.interventions.some(item => item.action_id === actionId))
                return;
            state.interventions.push({ job_id: jobId, action, at: new Date(at).toISOString(), ...(actionId ? { action_id: actionId } : {}) });
        });
    }
    /** Whether automatic action on a job is paused (by any sentinel). */
    isPaused(jobId) {
        return this.view.paused.includes(jobId);
    }
    /** Pauses or resumes automatic action on a job, for every sentinel; see recordIntervention. */
    setPaused(jobId, paused) {
        return this.change(state => {
            state.paused = state.paused.filter(id => id !== jobId);
            if (paused)
                state.paused.push(jobId);
        });
    }
    /** Forgets interventions older than an hour before `now`; every write does this too. */
    prune(now) {
        const keep = (state) => {
            state.interventions = state.interventions.filter(item => Date.parse(item.at) > now - hourMs);
        };
        keep(this.fileState);
        keep(this.view);
    }
    /** Writes changes that could not be written yet; resolves true when none are left. */
    flush() {
        this.writes = this.writes.then(() => this.write());
        return this.writes;
    }
    change(apply) {
        this.pending.push(apply);
        apply(this.view);
        return this.flush();
    }
    refreshView() {
        this.view = structuredClone(this.fileState);
        for (const apply of this.pending)
            apply(this.view);
    }
    read() {
        let text;
        try {
            text = fs.readFileSync(this.file, 'utf8');
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                this.report(`cannot read ${this.file}: ${error.message}`);
            return emptyState();
        }
        let parsed;
        try {
            parsed = stateSchema.safeParse(JSON.parse(text));
        }
        catch (error) {
            this.report(`${this.file} is not JSON (${error.message}): treated as empty`);
            return emptyState();
        }
        if (!parsed.success) {
            this.report(`${this.file} is not a sentinel state (${parsed.error.issues[0]?.message ?? 'wrong shape'}): treated as empty`);
            return emptyState();
        }
        return parsed.data;
    }
    async write() {
        if (this.pending.length === 0)
            return true;
        const batch = this.pending.length;
        const lock = await this.lock().catch((error) => {
            this.report(`cannot lock ${this.lockFile}: ${error.message}`);
            return undefined;
        });
        if (lock === undefined)
            return false;
        if (!lock) {
            this.report(`${this.lockFile} is held by another sentinel: the change is kept and written later`);
            return false;
        }
        try {
            const state = this.read();
            for (const apply of this.pending.slice(0, batch))
                apply(state);
            const cutoff = this.now() - hourMs;
            state.interventions = state.interventions.filter(item => Date.parse(item.at) > cutoff);
            this.writeAtomically(`${JSON.stringify(state, null, '\t')}\n`);
            this.pending = this.pending.slice(batch);
            this.fileState = state;
            this.loadedKey = '';
            this.refreshView();
            this.lastProblem = null;
            return this.pending.length === 0;
        }
        catch (error) {
            this.report(`cannot write ${this.file}: ${error.message}`);
            return false;
        }
        finally {
            lock.release();
        }
    }
    async lock() {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        for (const delay of lockRetryDelaysMs) {
            if (delay > 0)
                await new Promise(resolve => setTimeout(resolve, delay));
            const lock = await tryLock(this.lockFile).catch(() => null);
            if (lock)
                return lock;
        }
        return null;
    }
    writeAtomically(text) {
        const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        try {
            const fd = fs.openSync(temporary, 'w', 0o644);
            try {
                fs.writeSync(fd, text);
                fs.fsyncSync(fd);
            }
            finally {
                fs.closeSync(fd);
            }
            fs.renameSync(temporary, this.file);
        }
        catch (error) {
            fs.rmSync(temporary, { force: true });
            throw error;
        }
    }
    report(message) {
        this.lastProblem = message;
        this.options.onProblem?.(message);
    }
}
