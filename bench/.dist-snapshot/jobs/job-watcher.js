import path from 'node:path';
import { watch } from 'chokidar';
import { isSentinelFile, manifestName } from './activity-files.js';
const indexName = 'jobs_index.json';
const exhaustion = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);
/**
 * Watches `<jobs-dir>/<name>/` (files and one level below) and the job directories that
 * `jobs_index.json` names elsewhere, with chokidar. Where a watch cannot be set, it reopens
 * every watch as polling at `pollIntervalMs` and says so.
 */
export class JobWatcher {
    jobsDir;
    listener;
    pollIntervalMs;
    mode;
    watchers = [];
    extraDirs = [];
    closed = false;
    constructor(jobsDir, listener, pollIntervalMs, forcePolling = false) {
        this.jobsDir = jobsDir;
        this.listener = listener;
        this.pollIntervalMs = pollIntervalMs;
        this.mode = forcePolling ? 'poll' : 'watch';
    }
    start() {
        this.open();
    }
    /** Job directories outside the jobs directory (from jobs_index.json) to watch as well. */
    setExtraDirs(dirs) {
        const next = [...new Set(dirs)].filter(dir => this.jobDirOf(dir) === null).sort();
        if (next.join('\n') === this.extraDirs.join('\n'))
            return;
        this.extraDirs = next;
        if (!this.closed && this.watchers.length > 0)
            this.reopen();
    }
    async close() {
        this.closed = true;
        const watchers = this.watchers;
        this.watchers = [];
        await Promise.all(watchers.map(async (watcher) => watcher.close()));
    }
    /** The job directory a path under the jobs directory belongs to, and the path inside it. */
    jobDirOf(file) {
        const relative = path.relative(this.jobsDir, file);
        if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
            return null;
        const [name = '', ...rest] = relative.split(path.sep);
        return { dir: path.join(this.jobsDir, name), relative: rest.join(path.sep) };
    }
    extraDirOf(file) {
        for (const dir of this.extraDirs) {
            const relative = path.relative(dir, file);
            if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
                return { dir, relative };
        }
        return null;
    }
    ignored = (file) => {
        const inJobs = this.jobDirOf(file);
        if (inJobs) {
            // The jobs directory's own entries: job folders and jobs_index.json, not .sentinel/.
            if (inJobs.relative === '')
                return path.basename(inJobs.dir).startsWith('.sentinel');
            return isSentinelFile(inJobs.relative);
        }
        const extra = this.extraDirOf(file);
        return extra ? isSentinelFile(extra.relative) : false;
    };
    handle = (event, file, stats) => {
        if (file === path.join(this.jobsDir, indexName)) {
            this.listener.indexChanged();
            return;
        }
        const place = this.jobDirOf(file) ?? this.extraDirOf(file);
        if (!place || place.relative === '') {
            if (place && event === 'unlinkDir')
                this.listener.manifestRemoved(place.dir);
            return;
        }
        if (place.relative === manifestName) {
            if (event === 'unlink')
                this.listener.manifestRemoved(place.dir);
            else if (event === 'add' || event === 'change')
                this.listener.manifestChanged(place.dir);
        }
        if ((event === 'add' || event === 'change') && stats?.isFile())
            this.listener.activity(place.dir, stats.mtimeMs);
    };
    open() {
        const options = {
            ignoreInitial: true,
            alwaysStat: true,
            followSymlinks: false,
            ignored: this.ignored,
            usePolling: this.mode === 'poll',
            interval: this.pollIntervalMs,
            binaryInterval: this.pollIntervalMs,
            ignorePermissionErrors: true,
            // The sentinel renames its writes into place; plain events are what it wants.
            atomic: false,
        };
        const jobs = watch(this.jobsDir, { ...options, depth: 2 });
        const extra = this.extraDirs.length > 0 ? [watch(this.extraDirs, { ...options, depth: 1 })] : [];
        for (const watcher of [jobs, ...extra]) {
            watcher.on('all', (event, file, stats) => this.handle(event, file, stats));
            watcher.on('error', error => this.onError(error));
        }
        this.watchers = [jobs, ...extra];
    }
    reopen() {
        const old = this.watchers;
        this.watchers = [];
        for (const watcher of old)
            void watcher.close();
        this.open();
    }
    onError(error) {
        if (this.closed)
            return;
        if (exhaustion.has(error.code ?? '') && this.mode === 'watch') {
            this.mode = 'poll';
            this.listener.modeChanged('poll', `file watches unavailable (${error.code}): polling every ${this.pollIntervalMs} ms instead`);
            this.reopen();
            return;
        }
        this.listener.error(`watching ${this.jobsDir}: ${error.message}`);
    }
}
