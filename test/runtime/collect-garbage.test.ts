import {spawnSync} from 'node:child_process';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {collectGarbageEvery} from '../../source/runtime/collect-garbage.js';

const builtModule = fileURLToPath(new URL('../../dist/runtime/collect-garbage.js', import.meta.url));

describe('collectGarbageEvery', () => {
	beforeEach(() => {
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('collects once each interval until stopped', () => {
		const collect = vi.fn();
		const stop = collectGarbageEvery(60_000, collect);
		vi.advanceTimersByTime(59_999);
		expect(collect).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(collect).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(120_000);
		expect(collect).toHaveBeenCalledTimes(3);
		stop();
		vi.advanceTimersByTime(600_000);
		expect(collect).toHaveBeenCalledTimes(3);
	});

	it('does nothing where node runs without --expose-gc', () => {
		expect(typeof globalThis.gc).toBe('undefined');
		const stop = collectGarbageEvery(1000);
		expect(vi.getTimerCount()).toBe(0);
		stop();
	});

	it('collects for real under --expose-gc, and does not keep the process alive', () => {
		// A process of its own, as the program runs: node with --expose-gc, the built module.
		const script = [
			`import {collectGarbageEvery} from ${JSON.stringify(pathToFileURL(builtModule).href)};`,
			'const realCollect = globalThis.gc; let collections = 0;',
			'globalThis.gc = () => { collections++; realCollect(); };',
			'collectGarbageEvery(10);',
			'setTimeout(() => console.log(collections), 300);',
		].join('\n');
		// Only the timeout holds the process: it ends when the timeout has fired, the interval left running.
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 20_000});
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(Number(run.stdout.trim())).toBeGreaterThan(0);
	});
});
