// The one runner behind the notify hook, --evidence-command and the fleet's remote action: a
// command in a group of its own, with a limit, bounded output, and its group killed at the limit.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {runCommand} from '../../source/runtime/run-command.js';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {sh} from '../helpers/shell.js';
import {makeTempDir} from '../helpers/temp-dir.js';

/** Kills, when the test ends, what a command left whose pid it wrote to `pidFile`. */
function cleanUp(pidFile: string): void {
	onTestFinished(() => {
		const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
		if (pid > 1 && readProcess(pid)?.name === 'sleep') process.kill(pid, 'SIGKILL');
	});
}

describe('running a command', () => {
	it('keeps the first bytes of one output, counting all it wrote, and the last characters of another; stdin is what it was given', async () => {
		const run = await runCommand({argv: sh('head -c 100000 /dev/zero | tr "\\0" a; cat >&2; exit 4'), limitMs: 10_000, input: 'from stdin\nend', stdout: {first: 10}, stderr: {last: 3}});
		expect(run).toMatchObject({code: 4, signal: null, timedOut: false, stdout: {text: 'aaaaaaaaaa', bytes: 100_000}, stderr: {text: 'end', bytes: 14}});
		expect(run.failed).toBeUndefined();
	});

	it('says why it could not start, never throwing: a missing program, an argument spawn refuses', async () => {
		expect(await runCommand({argv: ['/no/such/program'], limitMs: 1000})).toMatchObject({code: null, signal: null, failed: {code: 'ENOENT'}});
		expect((await runCommand({argv: ['sh', '-c', 'true\0'], limitMs: 1000})).failed?.code).toBe('ERR_INVALID_ARG_VALUE');
	});

	it('kills its whole group at the limit; answering at once when asked to, with what it wrote so far', async () => {
		const pidFile = path.join(makeTempDir(), 'child.pid');
		cleanUp(pidFile);
		const run = await runCommand({argv: sh('sleep 60 & echo $! > "$1"; echo started; wait', pidFile), limitMs: 300, stdout: {first: 100}, answerAtLimit: true});
		expect(run).toMatchObject({code: null, signal: 'SIGKILL', timedOut: true, stdout: {text: 'started\n'}});
		const child = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(await waitFor(() => !isAlive(child) || readProcess(child)?.state === 'Z', 5000)).toBe(true);
	});

	it('once its shell exits: waits for its outputs at most pipeWaitMs, and kills what it left in its group when asked to', async () => {
		const pidFile = path.join(makeTempDir(), 'left.pid');
		cleanUp(pidFile);
		// The background sleep would hold stdout open for 60 s: it goes with its group once the shell exits.
		const run = await runCommand({argv: sh('sleep 60 & echo $! > "$1"; echo done', pidFile), limitMs: 30_000, stdout: {first: 100}, pipeWaitMs: 200, groupEndsWithIt: true});
		expect(run).toMatchObject({code: 0, timedOut: false, stdout: {text: 'done\n'}});
		const left = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(await waitFor(() => !isAlive(left) || readProcess(left)?.state === 'Z', 5000)).toBe(true);
	});

	it('exited before its limit, while a process it left outside its group holds its outputs: answered with its exit, not as timed out', async () => {
		const pidFile = path.join(makeTempDir(), 'held.pid');
		cleanUp(pidFile);
		// The limit falls within the wait for its outputs: its exit is what it did, not a kill.
		const run = await runCommand({argv: sh(`setsid sh -c 'echo $$ > "$1"; exec sleep 60' sh "$1" & echo done; exit 3`, pidFile), limitMs: 400, stdout: {first: 100}, pipeWaitMs: 5000, answerAtLimit: true});
		expect(run).toMatchObject({code: 3, signal: null, timedOut: false, stdout: {text: 'done\n'}});
	});

	it('keeps a character whose bytes came in two reads whole in the last characters it keeps', async () => {
		// The pause makes two writes of é's two bytes, so two reads.
		const run = await runCommand({argv: sh(`printf '\\303'; sleep 0.2; printf '\\251t\\n'`), limitMs: 10_000, stdout: {last: 100}, pipeWaitMs: 1000});
		expect(run.stdout).toEqual({text: '\u00e9t\n', bytes: 4});
	});
});
