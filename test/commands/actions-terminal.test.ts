import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readProcess} from '../../source/sentinel/observe/process-table.js';
import {cliPath} from '../helpers/cli.js';
import {openShell, runInShell} from '../helpers/dashboard-shell.js';
import {startProcess, waitFor} from '../helpers/processes.js';
import {readAudit} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';
import type {TmuxPane} from '../helpers/tmux.js';

// The action commands on a real terminal (an operator's bash in tmux): they ask first, naming the
// job, its pid and command and what will happen, as the dashboard's confirmation does; No is the
// default; the answer goes to the process that was asked about.

function running(pid: number): boolean {
	const info = readProcess(pid);
	return info !== null && info.state !== 'Z';
}

function manifestBytes(dir: string): Buffer {
	return fs.readFileSync(path.join(dir, 'job_manifest.json'));
}

/** A real `sleep` the test owns; its pid. */
function sleeper(): number {
	return startProcess('sleep', ['300']).pid!;
}

/** The command line typed at the shell: the built binary, then `args`. */
function sentinelTui(...args: string[]): string[] {
	return [process.execPath, cliPath, ...args];
}

/** Waits until the screen shows the `count`th question (each ends in the `[y/N]` prompt). */
async function question(pane: TmuxPane, count = 1): Promise<string[]> {
	const screen = await pane.waitFor(`question ${count}`, rows => rows.filter(row => row.startsWith('[y/N]')).length >= count);
	return screen.map(row => row.trimEnd());
}

describe('action commands on a terminal', () => {
	test('terminate asks, naming the job, pid, command and outcome; Enter is No (exit 1, nothing done); y terminates (exit 0)', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const pid = sleeper();
		const dir = writeJob(jobsDir, 'agent-3', {job_id: 'agent-3', status: 'RUNNING', role: 'worker', pid});
		const before = manifestBytes(dir);
		const pane = await openShell(120, 40);

		const declined = runInShell(pane, sentinelTui('terminate', 'agent-3', '--jobs-dir', jobsDir, '--grace', '2s'));
		const asked = await question(pane);
		const at = asked.indexOf('Terminate job agent-3?');
		expect(at, asked.join('\n')).toBeGreaterThan(0);
		expect(asked.slice(at, at + 4)).toEqual([
			'Terminate job agent-3?',
			`pid ${pid} · sleep`,
			'SIGTERM the tree, SIGKILL after grace; status -> INTERVENTION_REQUIRED',
			'[y/N]',
		]);
		pane.press('Enter');
		expect(await declined.exitCode()).toBe(1);
		expect(declined.output()).toContain('sentinel-tui: terminate agent-3: not done');
		expect(running(pid)).toBe(true);
		expect(manifestBytes(dir)).toEqual(before);
		expect(readAudit(jobsDir)).toEqual([]);

		const confirmed = runInShell(pane, sentinelTui('terminate', 'agent-3', '--jobs-dir', jobsDir, '--grace', '2s'));
		await question(pane, 2);
		pane.type('y');
		pane.press('Enter');
		expect(await confirmed.exitCode()).toBe(0);
		expect(confirmed.output().join('\n')).toMatch(/terminate agent-3: ok \(terminate requested from the command line; status RUNNING -> INTERVENTION_REQUIRED; stopped 1 processes/);
		expect(await waitFor(() => !running(pid))).toBe(true);
		expect(readAudit(jobsDir).map(entry => [entry.action, entry.actor, entry.result])).toEqual([
			['terminate', 'user', 'started'],
			['terminate', 'user', 'ok'],
		]);
	});

	test('the job\'s process changes while the question is open: yes is refused (exit 1, audited failed), neither process signalled', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const first = sleeper();
		const second = sleeper();
		const dir = writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: first});
		const pane = await openShell(120, 40);

		const command = runInShell(pane, sentinelTui('recover', 'restarted', '--jobs-dir', jobsDir, '--grace', '1s'));
		expect((await question(pane)).join('\n')).toContain(`pid ${first} · sleep`);
		// The job restarts under another process while the operator reads the question.
		writeJob(jobsDir, 'restarted', {job_id: 'restarted', status: 'RUNNING', pid: second});
		const after = manifestBytes(dir);
		pane.type('yes');
		pane.press('Enter');
		expect(await command.exitCode()).toBe(1);
		expect(command.output().join('\n')).toContain(`recover restarted: failed (the job's process changed since the confirmation (pid ${first} -> ${second}); nothing done)`);
		expect(readAudit(jobsDir).map(entry => [entry.action, entry.actor, entry.result])).toEqual([['recover', 'user', 'failed']]);
		expect(manifestBytes(dir)).toEqual(after);
		expect(running(first) && running(second)).toBe(true);
	});

	test('pause asks too, and y pauses the job for every sentinel (state.json)', {timeout: 60_000}, async () => {
		const jobsDir = makeTempDir('sentinel-actions-');
		const pid = sleeper();
		writeJob(jobsDir, 'long-run', {job_id: 'long-run', status: 'RUNNING', pid});
		const pane = await openShell(120, 40);

		const command = runInShell(pane, sentinelTui('pause', 'long-run', '--jobs-dir', jobsDir));
		const asked = (await question(pane)).join('\n');
		expect(asked).toContain('Pause automatic action on job long-run?');
		expect(asked).toContain(`status RUNNING · pid ${pid} · sleep`);
		pane.type('y');
		pane.press('Enter');
		expect(await command.exitCode()).toBe(0);
		expect(command.output().join('\n')).toContain('pause long-run: ok (automatic action paused for every sentinel on this jobs directory)');
		const state = JSON.parse(fs.readFileSync(path.join(jobsDir, '.sentinel', 'state.json'), 'utf8')) as {paused: string[]};
		expect(state.paused).toEqual(['long-run']);
		expect(running(pid)).toBe(true);
	});
});
