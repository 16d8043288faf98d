import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it, onTestFinished} from 'vitest';
import {runRemote} from '../../source/fleet/remote-run.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {sh} from '../helpers/shell.js';
import {makeTempDir} from '../helpers/temp-dir.js';

describe('running an action command on a host', () => {
	it('gives the JSON result it printed last, whatever its exit code', async () => {
		const entry = {action: 'terminate', job_id: 'j', result: 'failed', reason: 'refused'};
		expect(await runRemote(sh(`echo notice >&2; echo '${JSON.stringify(entry)}'; exit 1`))).toEqual({result: entry});
	});

	it.each([
		['ssh refusing (exit 255)', 'echo "Permission denied (publickey)." >&2; exit 255', 'ssh could not reach the host or run the command (exit 255): Permission denied (publickey).'],
		['a command not found there', 'echo "sh: 1: sentinel-tui: not found" >&2; exit 127', 'exit 127 without a result: sh: 1: sentinel-tui: not found'],
		['output that is no result', 'echo hello', 'exit 0 without a result: hello'],
		['a JSON line that is no object', 'echo "[1,2]"', 'exit 0 without a result: [1,2]'],
		['escape sequences in what it said', 'printf "\\033]0;owned\\007bad\\n" >&2; exit 2', 'exit 2 without a result: bad'],
	])('says %s in words', async (_name, script, failure) => {
		expect(await runRemote(sh(script))).toEqual({failure});
	});

	it('says a remote command that cannot be started', async () => {
		expect(await runRemote(['/nonexistent-ssh-for-test', 'host'])).toEqual({failure: 'could not run /nonexistent-ssh-for-test: ENOENT'});
	});

	it('answers once ssh exits, or at its limit, though a process it left in a session of its own holds its output open', {timeout: 20_000}, async () => {
		const dir = makeTempDir('sentinel-remote-');
		const pidFiles = [path.join(dir, 'done.pid'), path.join(dir, 'hung.pid')];
		onTestFinished(() => {
			for (const pidFile of pidFiles) {
				const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
				if (pid > 1 && isAlive(pid)) process.kill(pid, 'SIGKILL');
			}
		});
		// As ssh's ControlPersist master may: out of its group and session, beyond its kill, holding its pipes.
		// The pid file comes in as "$1", so no shell reads the temp dir's path.
		const leave = `setsid sh -c 'echo $$ > "$1"; exec sleep 60' sh "$1" &`;
		const entry = {action: 'terminate', job_id: 'j', result: 'ok'};
		expect(await runRemote(sh(`${leave} echo '${JSON.stringify(entry)}'`, pidFiles[0]!), 10_000)).toEqual({result: entry});
		expect(await runRemote(sh(`${leave} sleep 60`, pidFiles[1]!), 500)).toEqual({failure: 'no answer within 0.5 s: killed'});
		expect(await waitFor(() => pidFiles.every(file => fs.existsSync(file)), 5000), 'each left process wrote its pid, to be killed when the test ends').toBe(true);
	});

	it('kills it with everything it started when it takes too long', async () => {
		const pidFile = path.join(makeTempDir('sentinel-remote-'), 'pid');
		// Should the kill fail, the test's sleep goes when the test ends.
		onTestFinished(() => {
			const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
			if (pid > 1 && isAlive(pid)) process.kill(pid, 'SIGKILL');
		});
		const outcome = await runRemote(sh('sleep 60 & echo $! > "$1"; wait', pidFile), 300);
		expect(outcome).toEqual({failure: 'no answer within 0.3 s: killed'});
		const pid = Number(fs.readFileSync(pidFile, 'utf8'));
		expect(await waitFor(() => !isAlive(pid), 5000)).toBe(true);
	});
});
