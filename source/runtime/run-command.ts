import {spawn, type ChildProcess} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {StringDecoder} from 'node:string_decoder';
import {killGroup} from './kill-group.js';

/** What is kept of one output: its first `first` bytes, or its last `last` characters. */
export type Keep = {first: number} | {last: number};

/** One output as kept, and how many bytes it wrote in all. */
export type Output = {text: string; bytes: number};

/** A command the sentinel starts: the notify hook, the evidence command, a fleet action over ssh. */
export type CommandRun = {
	/** The program and its arguments, run without a shell (`['sh', '-c', CMD]` for the operator's own commands). */
	argv: readonly string[];
	/** Past this, its whole process group is killed and `timedOut` set. */
	limitMs: number;
	/** Its environment; the sentinel's when absent. */
	env?: NodeJS.ProcessEnv;
	/** Written to its stdin, which is then closed; without it, its stdin is /dev/null. */
	input?: string;
	/** What is kept of its stdout, its stderr; an output not kept goes to /dev/null. */
	stdout?: Keep;
	stderr?: Keep;
	/**
	 * Once its first process exits, how long its outputs are waited for (0: not at all): a process
	 * it left outside its group may hold them open. Absent: waited for however long they stay open.
	 */
	pipeWaitMs?: number;
	/** What it left running in its group is killed when its first process exits. */
	groupEndsWithIt?: boolean;
	/** Answered at the limit, not once it has died: for a caller that must never wait past it. */
	answerAtLimit?: boolean;
};

/** What became of it. Never a throw: a command that could not be started says why in `failed`. */
export type CommandOutcome = {
	/** Exit code, or null when killed or never started. */
	code: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	/** Why it could not be started. */
	failed?: {message: string; code?: string};
	stdout: Output;
	stderr: Output;
	durationMs: number;
};

function keeper(keep: Keep | undefined) {
	const chunks: Buffer[] = [];
	let bytes = 0;
	let last = '';
	// A character's bytes may come in two reads: the decoder holds a split one until the rest comes.
	const decoder = new StringDecoder('utf8');
	return {
		add(chunk: Buffer) {
			if (keep && 'first' in keep) {
				if (bytes < keep.first) chunks.push(chunk);
			} else if (keep) last = (last + decoder.write(chunk)).slice(-keep.last);
			bytes += chunk.length;
		},
		output(): Output {
			return {text: keep && 'first' in keep ? Buffer.concat(chunks).subarray(0, keep.first).toString('utf8') : last + decoder.end(), bytes};
		},
	};
}

function failure(error: unknown): Pick<CommandOutcome, 'code' | 'signal' | 'failed'> {
	const {message, code} = error as NodeJS.ErrnoException;
	return {code: null, signal: null, failed: {message, ...(code === undefined ? {} : {code})}};
}

/**
 * Run a command detached, in a process group of its own (it can never ask on the sentinel's
 * terminal, and a kill reaches what it started too), for at most `limitMs`, keeping bounded output.
 */
export function runCommand(run: CommandRun): Promise<CommandOutcome> {
	const started = performance.now();
	const outputs = {stdout: keeper(run.stdout), stderr: keeper(run.stderr)};
	return new Promise(resolve => {
		let timer: NodeJS.Timeout | undefined;
		let pipeTimer: NodeJS.Timeout | undefined;
		let settled = false;
		let timedOut = false;
		let exited: Pick<CommandOutcome, 'code' | 'signal'> | null = null;
		const finish = (how: Pick<CommandOutcome, 'code' | 'signal' | 'failed'>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearTimeout(pipeTimer);
			resolve({...how, timedOut, stdout: outputs.stdout.output(), stderr: outputs.stderr.output(), durationMs: Math.round(performance.now() - started)});
		};
		let child: ChildProcess;
		try {
			const stdio = [run.input === undefined ? 'ignore' : 'pipe', run.stdout ? 'pipe' : 'ignore', run.stderr ? 'pipe' : 'ignore'] as const;
			child = spawn(run.argv[0]!, run.argv.slice(1), {detached: true, stdio: [...stdio], ...(run.env ? {env: run.env} : {})});
		} catch (error) {
			finish(failure(error));
			return;
		}
		for (const name of ['stdout', 'stderr'] as const) child[name]?.on('data', (chunk: Buffer) => outputs[name].add(chunk));
		if (run.input !== undefined) {
			child.stdin?.on('error', () => {
				// A command that does not read its stdin is fine.
			});
			child.stdin?.end(run.input);
		}
		const letPipesGo = () => {
			child.stdout?.destroy();
			child.stderr?.destroy();
		};
		timer = setTimeout(() => {
			// It exited within its limit (its outputs were still being waited for): that exit is its
			// answer, and its pid, reaped, no longer names a group of ours to kill.
			if (exited) {
				letPipesGo();
				finish(exited);
				return;
			}
			timedOut = true;
			if (child.pid) killGroup(child.pid);
			if (run.answerAtLimit) finish({code: null, signal: 'SIGKILL'});
		}, run.limitMs);
		child.once('error', error => finish(failure(error)));
		child.once('close', (code, signal) => finish(exited ?? {code, signal}));
		const {pipeWaitMs} = run;
		if (pipeWaitMs === undefined) return;
		child.once('exit', (code, signal) => {
			exited = {code, signal};
			if (run.groupEndsWithIt && !settled && child.pid) killGroup(child.pid);
			const done = () => {
				letPipesGo();
				finish({code, signal});
			};
			if (pipeWaitMs === 0) done();
			else pipeTimer = setTimeout(done, pipeWaitMs).unref();
		});
	});
}
