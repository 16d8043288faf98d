import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {procfsAvailable} from '../../../source/sentinel/observe/process-table.js';

const processTable = fileURLToPath(new URL('../../../dist/sentinel/observe/process-table.js', import.meta.url));

describe.runIf(procfsAvailable)('the process table out of descriptors', () => {
	it('throws, never taking a live process for gone, when no file can be opened (EMFILE)', () => {
		// A node of its own under a limit of 40 descriptors, every one taken before it looks.
		const script = `
import fs from 'node:fs';
const {readProcess, scanProcesses} = await import(${JSON.stringify(processTable)});
const held = [];
try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch (error) { if (error.code !== 'EMFILE') throw error; }
const tell = look => { try { return JSON.stringify(look()); } catch (error) { return error.code; } };
console.log(tell(() => readProcess(process.pid)?.pid), tell(() => scanProcesses().byPid.size));
for (const fd of held) fs.closeSync(fd);
console.log(tell(() => readProcess(process.pid)?.pid === process.pid));`;
		const run = spawnSync('sh', ['-c', 'ulimit -n 40 && exec "$0" --input-type=module -e "$1"', process.execPath, script], {encoding: 'utf8'});
		expect(run.stderr).toBe('');
		expect(run.stdout.trim().split('\n')).toEqual(['EMFILE EMFILE', 'true']);
	});
});
