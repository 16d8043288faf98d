import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {StateStore, stateFile} from '../../../source/sentinel/act/state-store.js';
import {makeTempDir} from '../../helpers/temp-dir.js';
import {startProcess, waitFor} from '../../helpers/processes.js';

const minute = 60_000;

async function flushAll(...stores: StateStore[]): Promise<void> {
	for (let round = 0; round < 20; round++) {
		const done = await Promise.all(stores.map(store => store.flush()));
		if (done.every(Boolean)) return;
	}
	throw new Error('changes were never written');
}

describe('StateStore', () => {
	test('counts and pauses survive a restart (a new instance)', async () => {
		const file = stateFile(makeTempDir());
		const t0 = Date.now();
		const store = new StateStore(file);
		store.load();
		expect(await store.recordIntervention('a', 'recover', t0 - 10 * minute)).toBe(true);
		expect(await store.recordIntervention('a', 'recover', t0 - 5 * minute)).toBe(true);
		expect(await store.recordIntervention('b', 'terminate', t0 - minute)).toBe(true);
		expect(await store.setPaused('c', true)).toBe(true);
		const restarted = new StateStore(file);
		restarted.load();
		expect(restarted.interventionsSince(t0 - 60 * minute)).toBe(3);
		expect(restarted.interventionsSince(t0 - 6 * minute)).toBe(2);
		expect(restarted.recoveriesSince('a', t0 - 60 * minute)).toBe(2);
		expect(restarted.recoveriesSince('b', t0 - 60 * minute)).toBe(0);
		expect(restarted.isPaused('c')).toBe(true);
		expect(restarted.isPaused('a')).toBe(false);
		await restarted.setPaused('c', false);
		store.load();
		expect(store.isPaused('c')).toBe(false);
	});

	test('an action id is counted once, however often it is recorded', async () => {
		const store = new StateStore(stateFile(makeTempDir()));
		await store.recordIntervention('a', 'recover', Date.now(), 'action-1');
		await store.recordIntervention('a', 'recover', Date.now(), 'action-1');
		expect(store.recoveriesSince('a', 0)).toBe(1);
	});

	test('interventions older than an hour are forgotten (rolling hour, injected clock)', async () => {
		const file = stateFile(makeTempDir());
		const t0 = Date.parse('2025-03-01T12:00:00Z');
		let now = t0;
		const store = new StateStore(file, {now: () => now});
		await store.recordIntervention('a', 'recover', t0);
		await store.recordIntervention('a', 'recover', t0 + 30 * minute);
		expect(store.recoveriesSince('a', 0)).toBe(2);
		store.prune(t0 + 61 * minute);
		expect(store.recoveriesSince('a', 0)).toBe(1);
		now = t0 + 61 * minute;
		await store.recordIntervention('b', 'terminate', now);
		const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as {interventions: unknown[]};
		expect(saved.interventions).toHaveLength(2);
		now = t0 + 200 * minute;
		await store.setPaused('x', true);
		const restarted = new StateStore(file);
		restarted.load();
		expect(restarted.interventionsSince(0)).toBe(0);
	});

	test('two sentinels changing the file at once lose none of each other\'s counts', async () => {
		const file = stateFile(makeTempDir());
		const first = new StateStore(file);
		const second = new StateStore(file);
		const now = Date.now();
		const writes = Array.from({length: 15}, (_, index) => [
			first.recordIntervention(`first-${index}`, 'recover', now),
			second.recordIntervention(`second-${index}`, 'terminate', now),
		]).flat();
		await Promise.all(writes);
		await flushAll(first, second);
		const third = new StateStore(file);
		third.load();
		expect(third.interventionsSince(0)).toBe(30);
		expect(third.recoveriesSince('first-7', 0)).toBe(1);
	});

	test('a lock held elsewhere never blocks long; the change is written once it is free', async () => {
		const jobsDir = makeTempDir();
		const file = stateFile(jobsDir);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const marker = path.join(jobsDir, 'locked');
		const holder = startProcess('flock', ['-x', path.join(jobsDir, '.sentinel', 'state.lock'), 'sh', '-c', 'touch "$1"; exec sleep 30', 'sh', marker]);
		expect(await waitFor(() => fs.existsSync(marker), 5000, 10)).toBe(true);
		const problems: string[] = [];
		const store = new StateStore(file, {onProblem: message => problems.push(message)});
		const started = Date.now();
		expect(await store.recordIntervention('a', 'recover', started)).toBe(false);
		// Its retries take some 75 ms; loose, so only waiting for the holder (30 s) fails it on a loaded machine.
		expect(Date.now() - started).toBeLessThan(5000);
		expect(store.recoveriesSince('a', 0)).toBe(1);
		expect(problems.join('\n')).toMatch(/state\.lock/);
		expect(fs.existsSync(file)).toBe(false);
		process.kill(-holder.pid!, 'SIGKILL');
		expect(await waitFor(() => store.flush(), 5000, 20)).toBe(true);
		const restarted = new StateStore(file);
		restarted.load();
		expect(restarted.recoveriesSince('a', 0)).toBe(1);
	});

	test('a broken state.json is reported and treated as empty, and the next change repairs it', async () => {
		const file = stateFile(makeTempDir());
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, '{"interventions": [{"job_id": ');
		const problems: string[] = [];
		const store = new StateStore(file, {onProblem: message => problems.push(message)});
		store.load();
		expect(store.interventionsSince(0)).toBe(0);
		expect(problems[0]).toMatch(/not JSON.*treated as empty/);
		expect(store.problem).toMatch(/not JSON/);
		expect(await store.recordIntervention('a', 'terminate', Date.now())).toBe(true);
		const restarted = new StateStore(file);
		restarted.load();
		expect(restarted.interventionsSince(0)).toBe(1);
		expect(restarted.problem).toBeNull();

		fs.writeFileSync(file, JSON.stringify({interventions: 'many', paused: [1]}));
		restarted.load();
		expect(restarted.interventionsSince(0)).toBe(0);
		expect(restarted.problem).toMatch(/not a sentinel state/);
	});

	test('a missing .sentinel is no problem until the first change creates it; a missing jobs directory is not made', async () => {
		const file = stateFile(makeTempDir());
		const store = new StateStore(file);
		store.load();
		expect(store.problem).toBeNull();
		expect(store.isPaused('a')).toBe(false);
		expect(await store.setPaused('a', true)).toBe(true);
		expect(fs.existsSync(file)).toBe(true);

		// A jobs directory deleted under the sentinel (`rm -rf J && mkdir J`) must not be made again by it.
		const gone = path.join(makeTempDir(), 'jobs');
		const orphan = new StateStore(stateFile(gone));
		orphan.load();
		expect(orphan.problem).toBeNull();
		expect(await orphan.setPaused('a', true)).toBe(false);
		expect(orphan.problem).toMatch(/cannot create .*jobs\/\.sentinel: no such file or directory/);
		expect(fs.existsSync(gone)).toBe(false);
	});
});
