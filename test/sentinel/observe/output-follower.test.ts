import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {markOf} from '../../../source/jobs/file-mark.js';
import {newJobState, type JobState} from '../../../source/sentinel/job-state.js';
import {KeptFiles, lineLimit, lookAt, newCursor, readLimit} from '../../../source/sentinel/observe/output-file.js';
import {freshLook, OutputFollower} from '../../../source/sentinel/observe/output-follower.js';
import type {ValidJob} from '../../../source/types.js';
import {makeTempDir, writeJob} from '../../helpers/temp-dir.js';

const intervalMs = 1000;

/** A job directory with logs/, its state, and a follower that has attached to it; notices collected. */
function followed(files: Record<string, string> = {}) {
	const jobsDir = makeTempDir('sentinel-output-');
	const dir = writeJob(jobsDir, 'job', {job_id: 'job', status: 'RUNNING'});
	fs.mkdirSync(path.join(dir, 'logs'));
	for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
	const record: ValidJob = {
		valid: true,
		jobId: 'job',
		dir,
		manifestPath: path.join(dir, 'job_manifest.json'),
		status: 'RUNNING',
		role: 'worker',
		pid: null,
		processStartMs: null,
		description: '',
		command: null,
		latestStampMs: null,
		overrides: {},
		manifestMtimeMs: 0,
		ownerUid: 0,
		ownerGid: 0,
		contentKey: '',
	};
	const state = newJobState(record);
	const notices: string[] = [];
	const follower = new OutputFollower(intervalMs, message => notices.push(message));
	onTestFinished(() => follower.close());
	follower.attach(state);
	const states = new Map([[dir, state]]);
	let now = Date.now();
	/** One tick's pass, `afterMs` after the last; with `heard`, as the watcher would have said. */
	const tick = (heard: string[] = ['logs/output.log'], afterMs = 10) => {
		now += afterMs;
		for (const relative of heard) follower.heard(state, relative);
		// Two writes in one tick of the kernel's coarse clock share an mtime: activity is told apart
		// from no activity, not by its moment.
		state.fileActivityMs = null;
		follower.follow(states, now, heard.length === 0);
		return state.fileActivityMs !== null;
	};
	const file = (name = 'logs/output.log') => path.join(dir, name);
	const append = (text: string | Buffer, name?: string) => fs.appendFileSync(file(name), text);
	const cursor = (name = 'logs/output.log') => state.output!.files.get(name);
	/** The follower's pass of every job (the stat net's), at `afterMs` after the last, over `jobs`. */
	const sweep = (jobs: ReadonlyMap<string, JobState> = states, afterMs = 10) => {
		now += afterMs;
		follower.follow(jobs, now, true);
	};
	return {dir, state, notices, tick, sweep, follower, file, append, cursor, outside: makeTempDir('sentinel-outside-')};
}

describe('following output files', () => {
	it('counts a new line as activity and a repeated one not, whatever its stamps and ids', () => {
		const job = followed({'logs/output.log': 'old line from before the sentinel\n'});
		job.append('2025-11-30T13:12:10Z calling tool search (id toolu_01AbC9xYzQ7pLm3N)\n');
		expect(job.tick()).toBe(true);
		job.append('2025-11-30T13:12:40Z calling tool search (id toolu_01QrT8vWx2KmN5pZ)\n');
		expect(job.tick()).toBe(false);
		job.append('2025-11-30T13:13:10Z calling tool search (id toolu_01ZzY7uVw3JkL6qR)\n');
		expect(job.tick()).toBe(false);
		expect(job.state.progress).toEqual({repeatsSinceNew: 2, sample: '2025-11-30T13:13:10Z calling tool search (id toolu_01ZzY7uVw3JkL6qR)'});
		job.append('downloading 45%\n');
		expect(job.tick()).toBe(true);
		expect(job.state.progress.repeatsSinceNew).toBe(0);
		// A `touch`: a write that adds no line.
		const later = new Date(Date.now() + 5000);
		fs.utimesSync(job.file(), later, later);
		expect(job.tick()).toBe(false);
		expect(job.notices).toEqual([]);
	});

	it('reads a *.log directly in the job folder and every file of logs/, but not heartbeats', () => {
		const job = followed({'agent.log': '', 'logs/trace.txt': ''});
		job.append('step one\n', 'agent.log');
		expect(job.tick(['agent.log'])).toBe(true);
		job.append('step one\n', 'logs/trace.txt');
		// Among the job's last lines already, whichever file wrote it.
		expect(job.tick(['logs/trace.txt'])).toBe(false);
		job.append('same beat\n', 'logs/heartbeat');
		job.tick(['logs/heartbeat']);
		expect(job.cursor('logs/heartbeat')).toBeUndefined();
	});

	it('ends a line at a carriage return as at a newline: a progress bar redrawn in place is a run of lines', () => {
		const job = followed({'logs/output.log': ''});
		job.append('10%\r20%\r30%\r');
		expect(job.tick()).toBe(true);
		job.append('20%\r30%\r\n');
		expect(job.tick()).toBe(false);
		expect(job.state.progress.repeatsSinceNew).toBe(2);
		job.append('31%\r');
		expect(job.tick()).toBe(true);
	});

	it('takes a half line as activity only once it is complete, or after one interval', () => {
		const job = followed({'logs/output.log': ''});
		job.append('compiling mod');
		expect(job.tick()).toBe(false);
		expect(job.state.progress).toEqual({repeatsSinceNew: 0, sample: null});
		job.append('ule 7 of 9');
		expect(job.tick()).toBe(false);
		job.append('\n');
		expect(job.tick()).toBe(true);
		// The same line again, as a half line left alone: judged after one interval, as a repeat.
		job.append('compiling module 7 of 9');
		expect(job.tick()).toBe(false);
		expect(job.tick([], intervalMs / 2)).toBe(false);
		expect(job.state.progress.repeatsSinceNew).toBe(0);
		expect(job.tick([], intervalMs)).toBe(false);
		expect(job.state.progress.repeatsSinceNew).toBe(1);
		// A new half line left alone is activity after one interval.
		job.append('Continue? [y/N] ');
		expect(job.tick()).toBe(false);
		expect(job.tick([], intervalMs)).toBe(true);
	});

	it('reads a truncated file from its new start', () => {
		const job = followed({'logs/output.log': ''});
		job.append('a long first line that makes the file big\nsecond\n');
		job.tick();
		fs.truncateSync(job.file(), 0);
		job.append('fresh\n');
		expect(job.tick()).toBe(true);
		expect(job.cursor()!.offset).toBe('fresh\n'.length);
	});

	it('reads a replaced file from its new start, and goes on with a rotated one where it was', () => {
		const job = followed({'logs/output.log': ''});
		// Over 1,000 lines, so a file read again from its start would hold lines no longer remembered.
		job.append(Array.from({length: 1500}, (_, index) => `item ${index}`).join('\n') + '\n');
		job.tick();
		// Rotation: the file moves to output.log.1 and a new one takes its name.
		fs.renameSync(job.file(), job.file('logs/output.log.1'));
		fs.writeFileSync(job.file(), '');
		expect(job.tick(['logs/output.log.1', 'logs/output.log'])).toBe(false);
		expect(job.cursor('logs/output.log.1')!.bytesRead).toBe(0);
		job.append('item 0\n');
		// Read from its new start; 'item 0' has left the last 1,000 lines.
		expect(job.tick()).toBe(true);
		// Replaced by rename, bigger than what was read: its start is new output all the same.
		const next = job.file('logs/next.tmp');
		fs.writeFileSync(next, `${'x'.repeat(100)}\nitem 2000\n`);
		fs.renameSync(next, job.file());
		expect(job.tick()).toBe(true);
	});

	it('reads at most 64 KiB of a flood per tick, the newest, and judges the flood by them', () => {
		const job = followed({'logs/output.log': ''});
		job.append('2025-11-30T13:12:10Z still waiting for the lock\n');
		job.tick();
		const repeated = Buffer.from(Array.from({length: 200_000}, (_, index) => `2025-11-30T13:12:${String(index % 60).padStart(2, '0')}Z still waiting for the lock\n`).join(''));
		expect(repeated.length).toBeGreaterThan(10 * 2 ** 20 - 2 ** 20);
		job.append(repeated);
		const before = job.cursor()!.bytesRead;
		expect(job.tick()).toBe(false);
		expect(job.cursor()!.bytesRead - before).toBeLessThanOrEqual(readLimit);
		expect(job.cursor()!.offset).toBe(fs.statSync(job.file()).size);
		expect(job.state.progress.repeatsSinceNew).toBeGreaterThan(1000);
		// A flood of new lines, whose newest are new.
		job.append(Array.from({length: 200_000}, (_, index) => `row ${index}`).join('\n') + '\n');
		const again = job.cursor()!.bytesRead;
		expect(job.tick()).toBe(true);
		expect(job.cursor()!.bytesRead - again).toBeLessThanOrEqual(readLimit);
	});

	it('holds at most 4 KiB of a line of several MB without a newline, and judges it after one interval', () => {
		const job = followed({'logs/output.log': ''});
		job.append('x'.repeat(5 * 2 ** 20));
		expect(job.tick()).toBe(false);
		expect(job.cursor()!.pending!.length).toBeLessThanOrEqual(lineLimit);
		job.append('y'.repeat(3 * 2 ** 20));
		expect(job.tick()).toBe(false);
		expect(job.cursor()!.pending!.length).toBeLessThanOrEqual(lineLimit);
		expect(job.tick([], intervalMs)).toBe(true);
		expect(job.cursor()!.pending).toBeNull();
	});

	it('reads binary output safely, and says so once', () => {
		const job = followed({'logs/output.log': ''});
		const binary = Buffer.from(Array.from({length: 4096}, (_, index) => (index * 7919) % 256));
		job.append(binary);
		job.tick();
		job.append(binary);
		job.tick([], intervalMs);
		expect(job.notices).toEqual(['job: logs/output.log holds binary data: read as text, control bytes dropped']);
		job.append('after the binary\n');
		expect(job.tick()).toBe(true);
	});

	it('never follows a link out of the job folder, file or logs folder, and says so once', () => {
		const job = followed();
		const secret = path.join(job.outside, 'secret.log');
		fs.writeFileSync(secret, '');
		fs.symlinkSync(secret, job.file('logs/output.log'));
		fs.symlinkSync(secret, job.file('linked.log'));
		for (let round = 0; round < 3; round++) {
			fs.appendFileSync(secret, `secret ${round}\n`);
			expect(job.tick(['logs/output.log', 'linked.log'])).toBe(false);
		}
		expect(job.state.progress).toEqual({repeatsSinceNew: 0, sample: null});
		expect(job.notices.sort()).toEqual(['job: linked.log is a symbolic link: never followed', 'job: logs/output.log is a symbolic link: never followed']);
		// `logs` itself a link to a folder elsewhere.
		fs.rmSync(path.join(job.dir, 'logs'), {recursive: true});
		fs.symlinkSync(job.outside, path.join(job.dir, 'logs'));
		fs.appendFileSync(secret, 'secret 4\n');
		expect(job.tick(['logs/secret.log'])).toBe(false);
		expect(freshLook(job.state, Date.now() + 60_000)).toBeNull();
		expect(job.notices.filter(notice => notice === 'job: logs is a symbolic link: never followed')).toHaveLength(1);
	});

	it('never opens a FIFO: a writer waiting for a reader keeps waiting', async () => {
		const job = followed();
		const fifo = job.file('logs/pipe.log');
		const {execFileSync, spawn} = await import('node:child_process');
		execFileSync('mkfifo', [fifo]);
		const opened = path.join(job.outside, 'opened');
		// Blocks in open(2) until someone opens the FIFO for reading.
		const writer = spawn('sh', ['-c', `echo hello > '${fifo}' && touch '${opened}'`], {stdio: 'ignore', detached: true});
		try {
			for (let round = 0; round < 3; round++) job.tick(['logs/pipe.log'], intervalMs);
			freshLook(job.state, Date.now() + 60_000);
			await new Promise(resolve => setTimeout(resolve, 200));
			expect(fs.existsSync(opened)).toBe(false);
			expect(job.notices).toEqual(['job: logs/pipe.log is not a regular file (a FIFO, socket or device): never opened']);
		} finally {
			process.kill(-writer.pid!, 'SIGKILL');
		}
	});

	it('changes no time of a file it reads (O_NOATIME), and its reading is never activity', () => {
		const job = followed({'logs/output.log': ''});
		job.append('first\n');
		const old = new Date('2020-01-01T00:00:00Z');
		const mtime = fs.statSync(job.file()).mtime;
		// atime before mtime: a relatime mount would update it on the next read.
		fs.utimesSync(job.file(), old, mtime);
		expect(job.tick()).toBe(true);
		const after = fs.statSync(job.file());
		// utimes keeps what it is given to the ms; stat hands it back through a float (…112.999).
		expect(Math.round(after.atimeMs)).toBe(old.getTime());
		expect(Math.round(after.mtimeMs)).toBe(mtime.getTime());
		// Read again (nothing new): still no activity.
		expect(job.tick()).toBe(false);
	});
});

describe('the fresh look before a recover or terminate', () => {
	it('reads what output files gained and new ones, and finds activity only in a new line', () => {
		const job = followed({'logs/output.log': ''});
		job.append('polling the queue\n');
		job.tick();
		job.append('polling the queue\npolling the queue\n');
		// Not heard by any watcher: the fresh look reads it anyway, and it only repeats.
		expect(freshLook(job.state, Date.now())).toBeNull();
		expect(job.state.progress.repeatsSinceNew).toBe(2);
		fs.writeFileSync(job.file('logs/late.txt'), 'a new file, a new line\n');
		const at = freshLook(job.state, Date.now() + 1000);
		expect(at).not.toBeNull();
		expect(job.state.fileActivityMs).toBe(at);
	});

	it('keeps the descriptor of a file it read, and lets it go when the name holds another file, the job is gone, the file idles or the follower closes', () => {
		const job = followed({'logs/output.log': ''});
		job.append('step 1\n');
		expect(job.tick()).toBe(true);
		const fd = job.cursor()!.fd;
		expect(fd).not.toBeNull();
		expect(fs.fstatSync(fd!).ino).toBe(fs.statSync(job.file()).ino);
		job.append('step 2\nstep 1\n');
		expect(job.tick()).toBe(true);
		expect(job.cursor()!.fd).toBe(fd);
		expect(job.state.progress.repeatsSinceNew).toBe(1);
		// Rotated: the kept descriptor is the old file's, let go; the new file is read from its start.
		fs.renameSync(job.file(), job.file('logs/output.log.1'));
		fs.writeFileSync(job.file(), 'step 1\nstep 3\n');
		expect(job.tick(['logs/output.log.1', 'logs/output.log'])).toBe(true);
		expect(job.cursor('logs/output.log.1')!.fd).toBeNull();
		expect(job.state.progress.repeatsSinceNew).toBe(0);
		const renewed = job.cursor()!.fd;
		expect(renewed).not.toBeNull();
		expect(fs.fstatSync(renewed!).ino).toBe(fs.statSync(job.file()).ino);
		// Removed: let go, and nothing is read.
		fs.rmSync(job.file());
		expect(job.tick()).toBe(false);
		expect(job.cursor()).toBeUndefined();
		// Another file kept, then its job gone from the jobs followed.
		job.append('step 4\n', 'logs/other.log');
		expect(job.tick(['logs/other.log'])).toBe(true);
		expect(job.cursor('logs/other.log')!.fd).not.toBeNull();
		job.sweep(new Map());
		expect(job.cursor('logs/other.log')!.fd).toBeNull();
		// Idle for over a minute: let go, and read again when it grows.
		job.append('step 5\n', 'logs/other.log');
		expect(job.tick(['logs/other.log'])).toBe(true);
		expect(job.cursor('logs/other.log')!.fd).not.toBeNull();
		job.sweep(undefined, 61_000);
		expect(job.cursor('logs/other.log')!.fd).toBeNull();
		job.append('step 6\n', 'logs/other.log');
		expect(job.tick(['logs/other.log'])).toBe(true);
		expect(job.cursor('logs/other.log')!.fd).not.toBeNull();
		job.follower.close();
		expect(job.cursor('logs/other.log')!.fd).toBeNull();
	});

	it('takes the lstat handed over by the tick\'s look at logs/ for that pass alone, not stat-ing the file again', () => {
		const job = followed({'logs/output.log': ''});
		job.append('step 1\n');
		expect(job.tick()).toBe(true);
		const read = () => job.cursor()!.bytesRead;
		const before = read();
		job.append('step 2\n');
		const looked = markOf(fs.lstatSync(job.file()));
		job.append('step 3\n');
		// Read as far as the handed lstat says: what came after it waits for the next look.
		job.follower.heard(job.state, 'logs/output.log', looked);
		expect(job.tick([])).toBe(true);
		expect(read() - before).toBe('step 2\n'.length);
		expect(job.tick()).toBe(true);
		expect(read() - before).toBe('step 2\nstep 3\n'.length);
		// Handed over while the job was invalid: forgotten, and the next pass takes its own lstat.
		const valid = job.state.record;
		job.state.record = {valid: false, jobId: 'job', dir: job.dir, manifestPath: valid.manifestPath, error: 'unused'};
		job.follower.heard(job.state, 'logs/output.log', looked);
		job.sweep();
		job.state.record = valid;
		job.append('step 4\n');
		expect(job.tick()).toBe(true);
		expect(read() - before).toBe('step 2\nstep 3\nstep 4\n'.length);
		// Another file's lstat (a name that now holds another file): the kept descriptor is let go.
		job.follower.heard(job.state, 'logs/output.log', markOf(fs.lstatSync(job.dir)));
		job.append('step 5\n');
		expect(job.tick([])).toBe(true);
		expect(read() - before).toBe('step 2\nstep 3\nstep 4\nstep 5\n'.length);
	});

	it('reads no byte through a `logs` swapped for a link after one of its files was kept open', () => {
		const job = followed({'logs/output.log': ''});
		job.append('step 1\n');
		expect(job.tick()).toBe(true);
		expect(job.cursor()!.fd).not.toBeNull();
		const read = job.cursor()!.bytesRead;
		fs.writeFileSync(path.join(job.outside, 'output.log'), 'secret 1\nsecret 2\n'.repeat(10));
		fs.renameSync(path.join(job.dir, 'logs'), path.join(job.dir, 'logs.moved'));
		fs.symlinkSync(job.outside, path.join(job.dir, 'logs'));
		expect(job.tick()).toBe(false);
		expect(job.cursor()!.fd).toBeNull();
		expect(job.cursor()!.bytesRead).toBe(read);
		expect(job.state.progress).toEqual({repeatsSinceNew: 0, sample: null});
		expect(job.notices).toEqual(['job: logs is a symbolic link: never followed']);
	});

	it('keeps a job with no memory of its output (loop detection off) out of it', () => {
		const dir = writeJob(makeTempDir(), 'job', {status: 'RUNNING'});
		const state: JobState = newJobState({valid: false, jobId: 'job', dir, manifestPath: path.join(dir, 'job_manifest.json'), error: 'unused'});
		expect(freshLook(state, Date.now())).toBeNull();
	});
});

describe('the descriptors kept open', () => {
	it('are at most as many as the bound, the least recently grown closed first', () => {
		const dir = makeTempDir('sentinel-kept-');
		const kept = new KeptFiles(2);
		onTestFinished(() => kept.close());
		const cursors = ['a', 'b', 'c'].map(name => {
			const file = path.join(dir, name);
			fs.writeFileSync(file, '');
			const cursor = newCursor(fs.statSync(file).ino, 0, 0);
			fs.appendFileSync(file, `${name}\n`);
			expect(lookAt(file, cursor, kept).kind).toBe('appended');
			return cursor;
		});
		expect(kept.size).toBe(2);
		expect(cursors.map(cursor => cursor.fd !== null)).toEqual([false, true, true]);
	});
});
