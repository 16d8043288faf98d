import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {Snapshot} from '../../source/sentinel/snapshot.js';
import {runDashboard} from '../../source/commands/dashboard.js';
import {waitFor} from '../helpers/processes.js';
import {makeFakeEngine, makeJob, makeSnapshot} from '../ui/fake-engine.js';

const enter = '\u001B[?1049h';
const leave = '\u001B[?1049l';

/** A terminal that records what is written to it, and can be made to vanish like an SSH drop. */
class FakeTerminal extends EventEmitter {
	written = '';
	/** Writes throw: worse than a real stream, which reports the error as an event. */
	gone = false;
	isTTY = true;
	columns = 80;
	rows = 24;
	write = (chunk: string) => {
		if (this.gone) throw Object.assign(new Error('write EIO'), {code: 'EIO'});
		this.written += chunk;
		return true;
	};
}

class FakeInput extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
	};
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

function start(snapshot: Snapshot = makeSnapshot({jobs: [makeJob({id: 'alpha'})]})) {
	const engine = makeFakeEngine(snapshot);
	const stdout = new FakeTerminal();
	const stderr = new FakeTerminal();
	const stdin = new FakeInput();
	// SIGTERM keeps a listener of signal-exit (Ink's restore-cursor registers for good): count another hook.
	const listeners = process.listenerCount('uncaughtException');
	const done = runDashboard(engine, {
		ascii: false,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
	});
	const drawn = () => waitFor(() => stdout.written.includes('alpha'), 5000, 10);
	return {engine, stdout, stdin, done, drawn, listeners};
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('runDashboard', () => {
	it('draws in the alternate screen and restores it once on q, then stops the engine', async () => {
		const {engine, stdout, stdin, done, drawn, listeners} = start();
		expect(await drawn()).toBe(true);
		expect(stdout.written.startsWith(enter)).toBe(true);
		stdin.write('q');
		expect(await done).toBe('quit');
		expect(count(stdout.written, leave)).toBe(1);
		expect(stdout.written.endsWith('\u001B[?25h\u001B[?1049l')).toBe(true);
		expect(engine.stops).toBe(1);
		expect(engine.listenerCount()).toBe(0);
		expect(process.listenerCount('uncaughtException')).toBe(listeners);
	});

	it('quits on Ctrl-C typed in raw mode', async () => {
		const {engine, stdout, stdin, done, drawn} = start();
		expect(await drawn()).toBe(true);
		stdin.write('\u0003');
		await done;
		expect(count(stdout.written, leave)).toBe(1);
		expect(engine.stops).toBe(1);
	});

	it('restores the screen on SIGTERM', async () => {
		const {engine, stdout, done, drawn} = start();
		expect(await drawn()).toBe(true);
		process.emit('SIGTERM');
		expect(await done).toBe('SIGTERM');
		expect(count(stdout.written, leave)).toBe(1);
		expect(engine.stops).toBe(1);
	});

	it('exits cleanly on SIGHUP when the terminal is gone', async () => {
		const {engine, stdout, done, drawn} = start();
		expect(await drawn()).toBe(true);
		stdout.gone = true;
		stdout.emit('error', Object.assign(new Error('write EIO'), {code: 'EIO'}));
		process.emit('SIGHUP');
		// The caller raises SIGHUP again: Node 20 aborts at exit when it cannot restore a vanished tty.
		expect(await done).toBe('SIGHUP');
		expect(stdout.written).not.toContain(leave);
		expect(engine.stops).toBe(1);
	});

	it('restores the screen before a crash is reported, and still stops the engine', async () => {
		const {engine, stdout, done, drawn} = start();
		expect(await drawn()).toBe(true);
		let restoredFirst = false;
		const failure = done.catch((error: unknown) => {
			restoredFirst = stdout.written.includes(leave);
			return error;
		});
		engine.setSnapshot({...makeSnapshot(), jobs: null} as unknown as Snapshot);
		const error = await failure;
		expect(error).toBeInstanceOf(Error);
		expect(restoredFirst).toBe(true);
		expect(count(stdout.written, leave)).toBe(1);
		expect(engine.stops).toBe(1);
	});
});
