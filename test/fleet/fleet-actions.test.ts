// Actions from the fleet view, through a remote command that stands in for ssh: a script that
// records the argv it was given and hands the words after the host to `sh -c`, as sshd hands them
// to the remote shell, with the built bin on PATH. Labels that are not plain run nothing.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {singleQuoted} from '../../source/fleet/remote-command.js';
import {confirmationFor} from '../../source/sentinel/act/manual-action.js';
import type {Snapshot} from '../../source/sentinel/snapshot.js';
import {cliPath} from '../helpers/cli.js';
import {fleetSnapshot, startFleetHosts, startTestFleet, tempDirIsPlain} from '../helpers/fleet.js';
import {processStart, startSleeper} from '../helpers/job-faults.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import {shellQuote} from '../helpers/shell.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

/** The remote command: `sh remote.sh RECORD BIN HOME {host}`, its argv recorded one a line in RECORD. */
function fakeSsh(): {template: string; record: string} {
	const base = makeTempDir('sentinel-fleet-ssh-');
	const bin = path.join(base, 'bin');
	fs.mkdirSync(bin);
	fs.writeFileSync(path.join(bin, 'sentinel-tui'), `#!/bin/sh\nexec ${singleQuoted(process.execPath)} ${singleQuoted(cliPath)} "$@"\n`, {mode: 0o755});
	const script = path.join(base, 'remote.sh');
	fs.writeFileSync(script, ['record=$1 bin=$2 home=$3', 'shift 3', 'printf "%s\\n" "$@" > "$record"', 'shift', 'PATH="$bin:$PATH" HOME="$home" exec sh -c "$*"', ''].join('\n'));
	const record = path.join(base, 'argv.txt');
	const home = path.join(base, 'home');
	fs.mkdirSync(home);
	return {template: ['sh', script, record, bin, home].map(singleQuoted).join(' ') + ' {host}', record};
}

const viewOf = (snapshot: Snapshot, host: string, jobId: string) => snapshot.jobs.find(view => view.host === host && view.job.jobId === jobId)!;

describe('actions from the fleet view', () => {
	it.skipIf(!tempDirIsPlain)('terminates a job on its host through the remote command, quoted word by word', {timeout: 90_000}, async () => {
		const jobsDir = makeTempDir('sentinel-fleet-act-');
		const pid = await startSleeper();
		writeJob(jobsDir, 'worker-1', {job_id: 'worker-1', status: 'RUNNING', role: 'worker', pid, process_start: processStart(pid), last_activity: new Date().toISOString()});
		writeJob(jobsDir, 'worker-2', {job_id: 'worker-2', status: 'PENDING', role: 'worker'});
		const {prometheus} = await startFleetHosts([{host: 'alpha', jobsDir}]);
		const ssh = fakeSsh();
		const fleet = startTestFleet({prometheus: prometheus.url, intervalMs: 500, remoteCommand: ssh.template});
		const ready = await fleetSnapshot(fleet, snapshot => snapshot.jobs.length === 2);

		const confirmation = confirmationFor('terminate', viewOf(ready, 'alpha', 'worker-1'));
		if ('refused' in confirmation) throw new Error(confirmation.refused);
		const entry = await fleet.act('terminate', confirmation.target);
		expect(fs.readFileSync(ssh.record, 'utf8').split('\n').slice(0, -1)).toEqual(['alpha', "'sentinel-tui'", "'terminate'", "'worker-1'", "'--jobs-dir'", `'${jobsDir}'`, "'--yes'", "'--json'"]);
		expect(entry).toMatchObject({action: 'terminate', job_id: 'worker-1', actor: 'user', result: 'ok', host: 'alpha'});
		expect(await waitFor(() => !isAlive(pid), 10_000)).toBe(true);
		const audited = readAudit(jobsDir).filter(one => one.action === 'terminate' && one.result !== 'started');
		expect(audited).toMatchObject([{job_id: 'worker-1', actor: 'user', result: 'ok'}]);
		expect(entry['remote_action_id']).toBe(audited[0]!.action_id);
		// The log panel has it: its start, then its result, under one action_id.
		const logged = fleet.getSnapshot().recentAudit.filter(one => one.action_id === entry.action_id).map(one => one.result);
		expect(logged).toEqual(['started', 'ok']);

		// `p` pauses a job this view has not paused, and resumes one it has.
		const dir = viewOf(ready, 'alpha', 'worker-2').job.dir;
		fleet.setPaused(dir, true);
		const paused = await fleetSnapshot(fleet, snapshot => snapshot.jobs.find(view => view.job.dir === dir)!.paused);
		expect(paused.recentAudit.at(-1)).toMatchObject({action: 'pause', job_id: 'worker-2', result: 'ok', host: 'alpha'});
		expect(fs.readFileSync(ssh.record, 'utf8')).toContain("'pause'\n'worker-2'\n");
		fleet.setPaused(dir, false);
		await fleetSnapshot(fleet, snapshot => String(snapshot.recentAudit.at(-1)!.action) === 'resume' && snapshot.recentAudit.at(-1)!.result === 'ok');
		expect(fleet.getSnapshot().jobs.find(view => view.job.dir === dir)!.paused).toBe(false);
	});

	it.skipIf(!tempDirIsPlain)('runs nothing for a job id or a host label that is not plain', {timeout: 90_000}, async () => {
		const base = makeTempDir('sentinel-fleet-evil-');
		const marker = path.join(base, 'pwned');
		const plainDir = makeTempDir('sentinel-fleet-plain-');
		const evilHostDir = makeTempDir('sentinel-fleet-evilhost-');
		writeJob(plainDir, 'bad', {job_id: `bad;$(touch ${shellQuote(marker)})`, status: 'PENDING', role: 'worker'});
		writeJob(plainDir, 'semi', {job_id: 'semi;touch pwned', status: 'PENDING', role: 'worker'});
		writeJob(evilHostDir, 'fine', {job_id: 'fine', status: 'PENDING', role: 'worker'});
		for (const dir of [plainDir, evilHostDir]) writeJob(dir, 'twin', {job_id: 'twin', status: 'PENDING', role: 'worker'});
		const {prometheus} = await startFleetHosts([
			{host: 'alpha', jobsDir: plainDir},
			{host: `bravo$(touch ${shellQuote(marker)})`, jobsDir: evilHostDir},
		]);
		const ssh = fakeSsh();
		const fleet = startTestFleet({prometheus: prometheus.url, intervalMs: 500, remoteCommand: ssh.template});
		const ready = await fleetSnapshot(fleet, snapshot => snapshot.jobs.length === 5);

		// The sentinel exports such ids as they are; the fleet shows them refused, never acted on.
		const bad = ready.jobs.find(view => view.job.jobId.startsWith('bad;'))!;
		const semi = ready.jobs.find(view => view.job.jobId.startsWith('semi;'))!;
		const fine = ready.jobs.find(view => view.job.jobId === 'fine')!;
		for (const view of [bad, semi]) expect(!view.job.valid && view.job.error).toMatch(/job id label is not plain/);
		expect(!fine.job.valid && fine.job.error).toMatch(/host .*host label is not plain/);
		expect(ready.fleet!.hosts.find(host => host.host.startsWith('bravo'))!.problem).toMatch(/host label is not plain/);
		for (const view of [bad, semi, fine]) {
			expect(confirmationFor('terminate', view)).toHaveProperty('refused');
			const target = {jobId: view.job.jobId, dir: view.job.dir, pid: null, processStartMs: null};
			for (const action of ['terminate', 'recover'] as const) expect(await fleet.act(action, target)).toMatchObject({result: 'failed', reason: expect.stringMatching(/not plain.*nothing run/)});
			fleet.setPaused(view.job.dir, true);
		}
		// A job id two hosts have names neither: `p` needs the row's job.dir then.
		fleet.setPaused('twin', true);
		const refusals = await fleetSnapshot(fleet, snapshot => snapshot.recentAudit.filter(one => String(one.action) === 'pause').length === 4);
		expect(refusals.recentAudit.map(one => one.result)).toEqual(Array(10).fill('failed'));
		expect(refusals.recentAudit.at(-1)!.reason).toBe('2 hosts have a job twin: name it by its row (job.dir)');
		expect(fs.existsSync(ssh.record)).toBe(false);
		expect(fs.existsSync(marker)).toBe(false);
		expect(fs.existsSync(path.join(plainDir, 'pwned'))).toBe(false);
	});
});
