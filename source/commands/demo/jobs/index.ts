import fs from 'node:fs';
import {besideProgram} from '../../../runtime/program-path.js';
import type {Role} from '../../../types.js';

/** One misbehaving (or well-behaved) job of the demo, run through `sentinel-tui run`. */
export type DemoJob = {
	/** The job's id, passed to `run --id`. */
	id: string;
	role: Role;
	/** What the job does and what the sentinel should make of it, for the demo's readme and screen. */
	description: string;
	/** Absolute path of the job's script, run with `node` alone. */
	script: string;
	/** Arguments after the script. */
	args: string[];
	/** Its standard input is a pipe the demo holds and never writes (else /dev/null). */
	prompted?: true;
	/** Asks the demo's silent TCP server: its port is passed after `args`. */
	asksServer?: true;
};

// Each script is an entry of the bundle of its own, in dist/bin/demo-jobs/ (rolldown.config.js).
function scriptPath(name: string): string {
	return besideProgram(`demo-jobs/${name}.js`);
}

/** The demo's jobs, one per kind of trouble the sentinel knows. */
export const demoJobs: readonly DemoJob[] = [
	{id: 'healthy-worker', role: 'worker', description: 'prints a line every second: stays ok', script: scriptPath('healthy-worker'), args: []},
	{id: 'silent-worker', role: 'worker', description: 'talks for 5 s, then silent but alive: a hang, recovered', script: scriptPath('silent-worker'), args: ['5']},
	{id: 'cpu-spinner', role: 'worker', description: 'burns a core without output: a busy hang, raised a tier', script: scriptPath('cpu-spinner'), args: []},
	{id: 'memory-grower', role: 'worker', description: 'grows 40 MB a second up to 800 MB, silent: over the memory limit', script: scriptPath('memory-grower'), args: ['800', '40']},
	{id: 'quiet-supervisor', role: 'supervisor', description: 'reviews for 3 s, then silent: hangs sooner (supervisor timeout)', script: scriptPath('quiet-supervisor'), args: ['3']},
	{id: 'paused-worker', role: 'worker', description: 'silent, and paused by the operator: climbs to critical, never acted on', script: scriptPath('silent-worker'), args: ['2']},
	{id: 'looping-agent', role: 'worker', description: 'calls the same tool every second with fresh timestamps and ids: looping output, climbs from its last new line', script: scriptPath('looping-agent'), args: ['3']},
	{id: 'prompt-waiter', role: 'worker', description: 'asks "Continue? [y/N]" on a pipe nobody writes: waiting for input, raised a tier', script: scriptPath('prompt-waiter'), args: ['3'], prompted: true},
	{id: 'socket-waiter', role: 'worker', description: 'waits for a reply from a local server that never answers: waiting on the network', script: scriptPath('socket-waiter'), args: [], asksServer: true},
	{id: 'broken-rhythm', role: 'worker', description: 'a line every second for 40 s, then nothing: its cadence warns before its timeout', script: scriptPath('broken-rhythm'), args: ['40']},
	{id: 'term-ignoring-tree', role: 'worker', description: '6 processes ignoring SIGTERM: terminated with SIGKILL after the grace period', script: scriptPath('term-ignoring-tree'), args: ['5']},
];

/** The command `sentinel-tui run` starts for a demo job: this very node, the script, its arguments. */
export function demoCommand(job: DemoJob, serverPort = 0): string[] {
	if (!fs.existsSync(job.script)) throw new Error(`demo job script ${job.script} is missing (run npm run build)`);
	return [process.execPath, job.script, ...job.args, ...(job.asksServer ? [String(serverPort)] : [])];
}
