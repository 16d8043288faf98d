import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {manifestName} from '../../jobs/job-layout.js';
import {readProcess} from '../../sentinel/observe/process-table.js';
import type {Role} from '../../types.js';
import {startHeld, type HeldCommand} from './held-command.js';
import {defaultJobId, formatCommand, isSafeJobId} from './job-id.js';
import {sentinelIsActing} from './leader-probe.js';
import {ignoreWriteErrors, teeOutput, type Tee} from './output-tee.js';
import {recordEnd, recordRestart, recordStart, type RecordResult, type StartFacts} from './run-manifest.js';

/** Where the signals to forward come from: this process, or a stand-in in tests. */
export type SignalSource = {
	on: (signal: NodeJS.Signals, listener: () => void) => unknown;
	off: (signal: NodeJS.Signals, listener: () => void) => unknown;
};

/** What `sentinel-tui run` was asked to do, flags already parsed. */
export type RunOptions = {
	/** The jobs directory the job's directory goes into (made when missing). */
	jobsDir: string;
	/** The job's id and directory name; default: the command's name and a short unique suffix. */
	id?: string;
	/** `--role`, default worker (the CLI's default; required here). */
	role: Role;
	/** Restarts allowed after the sentinel recovers the job. */
	retries: number;
	/** The command and its arguments, run without a shell. */
	command: string[];
	/** Where the command's output is passed through to; default: this process's. */
	stdout?: NodeJS.WritableStream;
	/** The command's stderr and run's own messages; default: this process's. */
	stderr?: NodeJS.WritableStream;
	/** Wait before the nth restart (from 1), in ms; default `restartDelayMs`. */
	backoffMs?: (restart: number) => number;
	/** How long to keep trying a busy job lock before giving up a write, in ms (default 5 s). */
	lockWaitMs?: number;
	/** Default: this process. */
	signals?: SignalSource;
	/** Told each time the command starts (attempt 0 first), before it runs. */
	onStart?: (start: {pid: number; attempt: number}) => void;
};

/** The signals `run` passes on to the command's process group. */
export const forwardedSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Exit code of `run` itself for a bad option: the CLI's usual code. */
export const usageExitCode = 2;
/** Exit code when `run` cannot start the job (its manifest cannot be written), as timeout(1) does. */
export const startFailedExitCode = 125;

const defaultLockWaitMs = 5000;
// Output still in flight when the command exits; a daemon it left holding the pipe is not waited for.
const outputGraceMs = 1000;

/** 1 s before the first restart, doubling, at most 60 s. */
export function restartDelayMs(restart: number): number {
	return Math.min(1000 * 2 ** Math.max(0, restart - 1), 60_000);
}

function usageProblem(options: RunOptions): string | null {
	if (options.command.length === 0 || options.command[0] === '') return 'no command given (sentinel-tui run [--id ID] [--role R] [--retries N] -- CMD ...)';
	if (options.id !== undefined && !isSafeJobId(options.id)) {
		return `--id: ${JSON.stringify(options.id)} is not a job name (up to 100 letters, digits, ".", "_" or "-", starting with a letter or digit)`;
	}
	if (options.role !== 'worker' && options.role !== 'supervisor') return `--role: ${JSON.stringify(options.role)} is not worker or supervisor`;
	if (!Number.isInteger(options.retries) || options.retries < 0) return `--retries: ${JSON.stringify(options.retries)} is not a whole number`;
	return null;
}

function isRecovery(result: Exclude<RecordResult, {recorded: true}>, pid: number): boolean {
	return result.status?.toUpperCase() === 'PENDING' && result.pid === pid;
}

/**
 * `sentinel-tui run`: run a command as a monitored job (SPEC section 8). Its manifest says RUNNING
 * with its pid before it can run; its output goes to the terminal and `logs/output.log`; signals
 * reach its whole process group; its end is recorded unless the sentinel changed the status, and a
 * recovery restarts it while retries last. Resolves with the exit code to exit with.
 */
export async function runCommand(options: RunOptions): Promise<number> {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const say = (line: string) => {
		stderr.write(`sentinel-tui run: ${line}\n`);
	};
	const problem = usageProblem(options);
	if (problem) {
		say(problem);
		return usageExitCode;
	}
	const jobsDir = path.resolve(options.jobsDir);
	const lockWaitMs = options.lockWaitMs ?? defaultLockWaitMs;
	const backoffMs = options.backoffMs ?? restartDelayMs;
	const signals = options.signals ?? process;
	const command = formatCommand(options.command);

	let jobId = options.id ?? defaultJobId(options.command);
	// A made-up id must name a new job, never take over an older one's directory.
	while (options.id === undefined && fs.existsSync(path.join(jobsDir, jobId))) jobId = defaultJobId(options.command);
	const jobDir = path.join(jobsDir, jobId);
	const manifestPath = path.join(jobDir, manifestName);
	const env = {...process.env, SENTINEL_JOB_ID: jobId, SENTINEL_JOB_DIR: jobDir};

	let group: number | null = null;
	let stopRequested = false;
	let wake: (() => void) | null = null;
	const listeners = forwardedSignals.map(signal => {
		const listener = () => {
			stopRequested = true;
			wake?.();
			if (group === null) return;
			try {
				process.kill(-group, signal);
			} catch {
				// The group is already gone.
			}
		};
		signals.on(signal, listener);
		return {signal, listener};
	});
	const undoIgnores = [ignoreWriteErrors(stdout), ignoreWriteErrors(stderr)];
	const tees: Tee[] = [];
	let logFd: number | null = null;

	const start = (): {held: HeldCommand; facts: StartFacts} => {
		const held = startHeld(options.command, env);
		group = held.pid;
		const processStartMs = readProcess(held.pid)?.startTimeMs ?? Date.now();
		return {held, facts: {jobId, role: options.role, pid: held.pid, processStartMs, command}};
	};

	try {
		let {held, facts} = start();
		const [recorded] = await Promise.all([
			recordStart(jobDir, facts, lockWaitMs),
			sentinelIsActing(jobsDir).then(acting => {
				if (acting === false) say(`no sentinel acts on ${jobsDir}: this job is recorded, but nobody will notice if it hangs (start one: sentinel-tui ${jobsDir})`);
			}),
		]);
		if (!recorded.recorded) {
			held.cancel();
			say(`cannot start job ${jobId}: ${recorded.reason}`);
			return startFailedExitCode;
		}
		logFd = openLog(jobDir, say);

		for (let restarts = 0; ; ) {
			options.onStart?.({pid: held.pid, attempt: restarts});
			const output = [teeOutput(held.child.stdout!, logFd, stdout), teeOutput(held.child.stderr!, logFd, stderr)];
			tees.push(...output);
			held.release();
			const end = await held.ended;
			group = null;
			await Promise.race([Promise.all(output.map(tee => tee.closed)), sleep(outputGraceMs)]);

			const ended = await recordEnd(manifestPath, held.pid, end, lockWaitMs);
			if (ended.recorded) return end.exitCode;
			if (!isRecovery(ended, held.pid)) {
				say(`job ${jobId} not marked ${end.exitCode === 0 ? 'SUCCESS' : 'FAILED'}: ${ended.reason}`);
				return end.exitCode;
			}
			if (restarts >= options.retries || stopRequested) {
				say(`job ${jobId} was recovered by the sentinel; not restarted (${stopRequested ? 'asked to stop' : 'no retries left'})`);
				return end.exitCode;
			}
			restarts += 1;
			const delayMs = backoffMs(restarts);
			say(`job ${jobId} was recovered by the sentinel; restarting in ${delayMs / 1000}s (restart ${restarts} of ${options.retries})`);
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, delayMs);
				wake = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			wake = null;
			if (stopRequested) return end.exitCode;

			const previousPid = held.pid;
			({held, facts} = start());
			const restarted = await recordRestart(manifestPath, previousPid, facts, restarts, lockWaitMs);
			if (!restarted.recorded) {
				held.cancel();
				group = null;
				say(`job ${jobId} not restarted: ${restarted.reason}`);
				return end.exitCode;
			}
		}
	} finally {
		for (const {signal, listener} of listeners) signals.off(signal, listener);
		for (const tee of tees) tee.stop();
		for (const undo of undoIgnores) undo();
		if (logFd !== null) fs.closeSync(logFd);
	}
}

function openLog(jobDir: string, say: (line: string) => void): number | null {
	const logs = path.join(jobDir, 'logs');
	try {
		fs.mkdirSync(logs, {recursive: true});
		return fs.openSync(path.join(logs, 'output.log'), fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o644);
	} catch (error) {
		say(`output goes to the terminal only: cannot open ${path.join(logs, 'output.log')}: ${(error as Error).message}`);
		return null;
	}
}
