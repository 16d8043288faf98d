import fs from 'node:fs';
import {once} from 'node:events';
import {describe, expect, it} from 'vitest';
import {readProcFile} from '../../../source/sentinel/observe/proc-file.js';
import {startProcess} from '../../helpers/processes.js';

describe('readProcFile', () => {
	it('reads a /proc file longer than its buffer whole, byte for byte as latin1', () => {
		// A shell waiting on its child keeps its command line as given: 12 KB, with bytes above ASCII.
		const long = 'é-'.repeat(4000);
		const shell = startProcess('/bin/sh', ['-c', 'sleep 30; :', 'sh', long]);
		const file = `/proc/${shell.pid}/cmdline`;
		const text = readProcFile(file);
		expect(text.length).toBeGreaterThan(12_000);
		expect(text).toBe(fs.readFileSync(file, 'latin1'));
		expect(text).toContain(Buffer.from(long).toString('latin1'));
	});

	it('throws as fs does for a process that is gone', async () => {
		const child = startProcess('/bin/sh', ['-c', 'exit 0']);
		await once(child, 'exit');
		expect(() => readProcFile(`/proc/${child.pid}/status`)).toThrow(expect.objectContaining({code: 'ENOENT'}));
	});
});
