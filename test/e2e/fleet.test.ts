// The fleet view end to end (SPEC section 14): a real Prometheus on loopback scraping three real
// headless sentinels every second, each named as a host of its own by Prometheus's relabelling,
// and the built `sentinel-tui fleet` in a real terminal (tmux). The remote command is a recorder
// standing in for ssh: it writes down the argv it was given and runs the command line locally,
// through a shell, as ssh's far side does.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {processStart, startSleeper} from '../helpers/job-faults.js';
import {freePort} from '../helpers/metrics.js';
import {isAlive, waitFor} from '../helpers/processes.js';
import {startPrometheus} from '../helpers/prometheus.js';
import {readAudit, startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {tempDirIsPlain} from '../helpers/fleet.js';

/** A RUNNING job of a real sleeping process, active just now: ok on its host. */
async function liveJob(jobsDir: string, id: string, fields: Record<string, unknown> = {}): Promise<{dir: string; pid: number}> {
	const pid = await startSleeper();
	const now = new Date().toISOString();
	const dir = writeJob(jobsDir, id.replaceAll(/[^\w.-]/g, '_'), {job_id: id, status: 'RUNNING', role: 'worker', process_id: pid, process_start: processStart(pid), last_activity: now, ...fields});
	return {dir, pid};
}

/**
 * A stand-in for ssh in a folder of its own, with a `sentinel-tui` beside it that runs the built
 * binary: `recorder HOST WORD...` records its arguments (NUL-separated) and runs the words as one
 * command line through sh, as sshd hands them to the login shell.
 */
function remoteStandIn(): {bin: string; recorder: string; record: string; recorded: () => string[] | null} {
	const bin = makeTempDir('sentinel-fleet-bin-');
	const record = path.join(bin, 'argv.record');
	const recorder = path.join(bin, 'recorder');
	fs.writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\0' "$@" > '${record}'\nshift\nexec sh -c "$*"\n`, {mode: 0o755});
	fs.writeFileSync(path.join(bin, 'sentinel-tui'), `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`, {mode: 0o755});
	const recorded = () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\0').slice(0, -1) : null);
	return {bin, recorder, record, recorded};
}

const rowOf = (screen: string[], host: string, id: string) => screen.find(row => new RegExp(`^[› ][‖ ][≈ ] ${host} +${id.replaceAll(/[$()]/g, '\\$&')} `).test(row));

describe('sentinel-tui fleet', () => {
	it.skipIf(!tempDirIsPlain)('shows three hosts\' jobs, marks a stopped one stale, and terminates a job on its host through the remote command', {timeout: 120_000}, async () => {
		const dirs = {'host-a': makeTempDir('sentinel-jobs-a-'), 'host-b': makeTempDir('sentinel-jobs-b-'), 'host-c': makeTempDir('sentinel-jobs-c-')};
		await liveJob(dirs['host-a'], 'train');
		await liveJob(dirs['host-a'], 'lint');
		const target = await liveJob(dirs['host-b'], 'sleepy');
		await liveJob(dirs['host-b'], 'train');
		// A label that would run as a command if it were ever put into one unquoted.
		await liveJob(dirs['host-b'], 'evil$(touch pwned);id');
		await liveJob(dirs['host-c'], 'index');

		const sentinels = Object.fromEntries(Object.entries(dirs).map(([host, dir]) => [host, startSentinel(dir, ['--interval', '250ms', '--metrics', '127.0.0.1:0'])]));
		const targets = await Promise.all(
			Object.entries(sentinels).map(async ([host, sentinel]) => ({host, address: (await sentinel.waitForLine(line => line.type === 'sentinel.started'))['metrics'] as string})),
		);
		const prometheus = await startPrometheus(targets);
		expect(await waitFor(async () => (await prometheus.query('sentinel_info')).length === 3, 20_000, 250), prometheus.stderr()).toBe(true);

		const remote = remoteStandIn();
		const pane = await openShell(120, 30);
		const path_ = `${remote.bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
		const fleet = runInShell(pane, ['env', `PATH=${path_}`, process.execPath, cliPath, 'fleet', '--prometheus', prometheus.url, '--interval', '1s', '--remote-command', `${remote.recorder} {host}`]);

		// Every host's jobs, each with its host; every host in the header with its last scrape.
		const all = await pane.waitFor('every job of the three hosts', screen => [['host-a', 'train'], ['host-a', 'lint'], ['host-b', 'sleepy'], ['host-b', 'train'], ['host-c', 'index']].every(([host, id]) => rowOf(screen, host!, id!)), {timeoutMs: 30_000});
		expect(all[0]).toMatch(/^sentinel-tui fleet \d\d:\d\d:\d\d · http:\/\/127\.0\.0\.1:\d+/);
		expect(all.find(row => row.startsWith('3 hosts: '))).toMatch(/^3 hosts: host-a \d+s · host-b \d+s · host-c \d+s/);
		expect(all.some(row => row.includes('HOST') && row.includes('ID'))).toBe(true);

		// The job whose id is not plain is shown, refused: x says so and runs nothing.
		await pane.waitFor('the refused job', screen => screen.some(row => row.includes('evil$(touch pwned);id') && row.includes('invalid')));
		pane.type('/evil');
		pane.press('Enter');
		await pane.waitFor('the filter on the refused job', screen => screen.some(row => row.includes('filter: evil')));
		pane.type('x');
		await pane.waitFor('the refusal', screen => screen.some(row => row.startsWith('evil$(touch pwned);id is invalid (its job id label is not plain')));
		expect(remote.recorded(), 'nothing ran for the refused job').toBeNull();
		// A key typed right after Escape would be read with it as one Alt-key: wait for its effect.
		pane.press('Escape');
		await pane.waitFor('the filter cleared', screen => Boolean(rowOf(screen, 'host-a', 'train')));

		// x on host-b's sleepy: the question names the host; y runs the action command there.
		pane.type('/sleepy');
		pane.press('Enter');
		await pane.waitFor('sleepy selected', screen => (rowOf(screen, 'host-b', 'sleepy') ?? '').startsWith('›'));
		pane.type('x');
		await pane.waitFor('the confirmation', screen => screen.some(row => row.includes('Terminate job sleepy on host host-b?')));
		pane.type('y');
		await pane.waitFor('the result in the log panel', screen => screen.some(row => /terminate sleepy on host-b ok user/.test(row)), {timeoutMs: 40_000});
		expect(remote.recorded()).toEqual(['host-b', "'sentinel-tui'", "'terminate'", "'sleepy'", "'--jobs-dir'", `'${dirs['host-b']}'`, "'--yes'", "'--json'"]);
		// The job really ended, by its host's own checks and audit.
		expect(await waitFor(() => !isAlive(target.pid), 10_000)).toBe(true);
		expect(JSON.parse(fs.readFileSync(path.join(target.dir, 'job_manifest.json'), 'utf8'))).toMatchObject({status: 'INTERVENTION_REQUIRED'});
		expect(readAudit(dirs['host-b']).filter(entry => entry.job_id === 'sleepy' && entry.actor === 'user').map(entry => entry.result)).toEqual(['started', 'ok']);
		expect(fs.readdirSync(remote.bin).sort()).toEqual(['argv.record', 'recorder', 'sentinel-tui']);

		// host-c's sentinel stops: its host and job stay listed, marked stale.
		pane.press('Escape');
		await pane.waitFor('the filter cleared', screen => !screen.some(row => row.includes('filter: sleepy')) && Boolean(rowOf(screen, 'host-a', 'train')));

		// The detail view of a job: what Prometheus knows of it, its CPU and memory from a range query.
		pane.type('/lint');
		pane.press('Enter');
		await pane.waitFor('lint selected', screen => (rowOf(screen, 'host-a', 'lint') ?? '').startsWith('›'));
		pane.press('Enter');
		const detail = await pane.waitFor('the detail view with readings', screen => screen.some(row => /^ {2}Memory +\S+ +\S/.test(row)));
		expect(detail.find(row => row.startsWith('Job lint'))).toMatch(/^Job lint {2}ok {2}on host-a {2}RUNNING {2}worker {2}silent \d+s/);
		expect(detail.find(row => row.startsWith('Host: '))).toMatch(/^Host: host-a \(127\.0\.0\.1:\d+\), last scraped \d+s ago/);
		expect(detail.some(row => row.startsWith('Processes (') || row.startsWith('Output ('))).toBe(false);
		pane.press('Escape');
		await pane.waitFor('the table again', screen => screen.some(row => row.includes('HOST') && row.includes('SEV')));
		pane.press('Escape');
		await pane.waitFor('the filter cleared', screen => Boolean(rowOf(screen, 'host-a', 'train')));
		await sentinels['host-c']!.stop();
		const stale = await pane.waitFor('host-c stale', screen => (rowOf(screen, 'host-c', 'index') ?? '').startsWith('  ≈') && screen.some(row => /host-c stale \d+s/.test(row)), {timeoutMs: 30_000});
		expect(rowOf(stale, 'host-a', 'train')).toMatch(/^[› ] {3}host-a/);
		pane.press('q');
		expect(await fleet.exitCode()).toBe(0);
		expect(pane.display('#{alternate_on}')).toBe('0');
	});

	for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
		it(`says an unreachable Prometheus in the header, and gives the terminal back on ${signal}`, {timeout: 60_000}, async () => {
			// A loopback port nobody listens on: every refresh is refused at once.
			const url = `http://127.0.0.1:${await freePort()}`;
			const pane = await openShell(100, 20);
			const fleet = runInShell(pane, [process.execPath, cliPath, 'fleet', '--prometheus', url, '--interval', '500ms']);
			const pid = await fleet.pid();
			const screen = await pane.waitFor('the problem in the header', rows => pane.display('#{alternate_on}') === '1' && rows[0]!.includes(`Prometheus at ${url} is unreachable (ECONNREFUSED)`));
			expect(screen.some(row => row.includes(`asking ${url}`) || row.includes('no jobs on any host'))).toBe(true);
			process.kill(pid, signal);
			await pane.waitFor('the shell again', () => pane.display('#{alternate_on}') === '0');
			expect(await waitFor(() => !isAlive(pid), 5000), 'the fleet view has exited').toBe(true);
			expect(pane.capture().some(row => row.startsWith('sentinel-tui fleet')), 'nothing of it left on the normal screen').toBe(false);
		});
	}
});
