import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync, spawnSync} from 'node:child_process';
import {describe, expect, it, onTestFinished} from 'vitest';
import {contentKey} from '../../source/jobs/content-key.js';
import {createManifest, updateManifest, type UpdateOutcome} from '../../source/jobs/update-manifest.js';
import {logistFixtures} from '../helpers/fixtures.js';
import {makeTempDir} from '../helpers/temp-dir.js';
import {startProcess, waitFor} from '../helpers/processes.js';

const fixture = path.join(logistFixtures, 'test_poststep_job', 'job_manifest.json');

function copyFixture(): {dir: string; manifestPath: string; original: string} {
	const dir = path.join(makeTempDir(), 'test_poststep_job');
	fs.mkdirSync(dir);
	const manifestPath = path.join(dir, 'job_manifest.json');
	fs.copyFileSync(fixture, manifestPath);
	return {dir, manifestPath, original: fs.readFileSync(manifestPath, 'utf8')};
}

const recoveryEntry = {
	event: 'SENTINEL_RECOVERY',
	timestamp: '2025-12-01T10:00:00Z',
	severity: 'high',
	previous_status: 'RUNNING',
	new_status: 'PENDING',
	reason: 'silent for 30m',
};

function recover(current: Record<string, unknown>): Record<string, unknown> | null {
	if (current['status'] !== 'RUNNING') return null;
	const history = Array.isArray(current['history']) ? current['history'] : [];
	return {...current, status: 'PENDING', history: [...history, recoveryEntry]};
}

function backupsOf(dir: string): string[] {
	const backups = path.join(dir, '.backups');
	return fs.existsSync(backups) ? fs.readdirSync(backups).sort() : [];
}

function leftoverTemps(dir: string): string[] {
	return fs.readdirSync(dir).filter(name => name.startsWith('.sentinel-tmp-'));
}

function lockIsHeld(lockPath: string): boolean {
	return spawnSync('flock', ['--nonblock', lockPath, 'true']).status === 1;
}

describe('updateManifest', () => {
	it('recovers a Logist manifest: status and history change, everything else and the mode stay', async () => {
		const {dir, manifestPath, original} = copyFixture();
		fs.chmodSync(manifestPath, 0o600);
		const result = await updateManifest(manifestPath, recover);

		expect(result.outcome).toBe('written');
		const written = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		const before = JSON.parse(original);
		expect(written).toEqual({...before, status: 'PENDING', history: [...before.history, recoveryEntry]});
		expect(Object.keys(written)).toEqual(Object.keys(before));
		if (result.outcome === 'written') {
			expect(result.before).toEqual(before);
			expect(result.after).toEqual(written);
		}
		const backups = backupsOf(dir);
		expect(backups).toHaveLength(1);
		expect(backups[0]).toMatch(/^job_manifest_\d{8}_\d{6}\.json\.backup$/);
		expect(fs.readFileSync(path.join(dir, '.backups', backups[0]!), 'utf8')).toBe(original);
		expect(fs.statSync(manifestPath).mode & 0o777).toBe(0o600);
		expect(leftoverTemps(dir)).toEqual([]);
	});

	it('returns locked without waiting while flock(1) holds the job lock, and writes once it is gone', async () => {
		const {dir, manifestPath, original} = copyFixture();
		const lockPath = path.join(dir, '.lock');
		const holder = startProcess('flock', ['--exclusive', lockPath, 'sleep', '30']);
		expect(await waitFor(() => lockIsHeld(lockPath))).toBe(true);

		const startedAt = Date.now();
		expect(await updateManifest(manifestPath, recover)).toEqual({outcome: 'locked'});
		// Loose (a loaded machine): only waiting for the holder (30 s) fails it.
		expect(Date.now() - startedAt).toBeLessThan(5000);
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe(original);
		expect(backupsOf(dir)).toEqual([]);

		process.kill(-holder.pid!, 'SIGKILL');
		expect(await waitFor(() => !lockIsHeld(lockPath))).toBe(true);
		expect((await updateManifest(manifestPath, recover)).outcome).toBe('written');
		expect(JSON.parse(fs.readFileSync(manifestPath, 'utf8')).status).toBe('PENDING');
	});

	it("returns locked while Python's fcntl.flock holds the job lock, as Logist does", async () => {
		const {dir, manifestPath, original} = copyFixture();
		const lockPath = path.join(dir, '.lock');
		const script = `import fcntl,sys,time; f=open(sys.argv[1],'a'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)`;
		const holder = startProcess('python3', ['-c', script, lockPath], {stdio: ['ignore', 'pipe', 'ignore']});
		let output = '';
		holder.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		expect(await waitFor(() => output.includes('held'))).toBe(true);

		expect(await updateManifest(manifestPath, recover)).toEqual({outcome: 'locked'});
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe(original);

		process.kill(-holder.pid!, 'SIGKILL');
		expect(await waitFor(() => !lockIsHeld(lockPath))).toBe(true);
		expect((await updateManifest(manifestPath, recover)).outcome).toBe('written');
	});

	it('drops the write when the manifest changed since the assessment', async () => {
		const {dir, manifestPath, original} = copyFixture();
		const stale = contentKey(original.replace('RUNNING', 'REVIEWING'));
		expect(await updateManifest(manifestPath, recover, {expectedContentKey: stale})).toEqual({outcome: 'changed'});
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe(original);
		expect(backupsOf(dir)).toEqual([]);

		const fresh = contentKey(fs.readFileSync(manifestPath));
		expect((await updateManifest(manifestPath, recover, {expectedContentKey: fresh})).outcome).toBe('written');
	});

	it('writes nothing when the change asks for nothing, or in a dry run', async () => {
		const {dir, manifestPath, original} = copyFixture();
		const unchanged = await updateManifest(manifestPath, () => null);
		expect(unchanged.outcome).toBe('unchanged');
		const same = await updateManifest(manifestPath, current => ({...current}));
		expect(same.outcome).toBe('unchanged');
		fs.rmSync(path.join(dir, '.lock'));

		const dry = await updateManifest(manifestPath, recover, {dryRun: true});
		expect(dry).toEqual({outcome: 'unchanged', reason: expect.stringMatching(/dry run/)});
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe(original);
		expect(fs.readdirSync(dir)).toEqual(['job_manifest.json']);
	});

	it('keeps only the last 5 backups, each second-collision suffixed', async () => {
		const {dir, manifestPath} = copyFixture();
		fs.writeFileSync(manifestPath, JSON.stringify({status: 'RUNNING', n: 0}));
		fs.mkdirSync(path.join(dir, '.backups'));
		fs.writeFileSync(path.join(dir, '.backups', 'operator-notes.txt'), 'mine');
		for (let n = 1; n <= 7; n++) {
			const result = await updateManifest(manifestPath, current => ({...current, n}));
			expect(result.outcome).toBe('written');
		}
		const backups = backupsOf(dir).filter(name => name !== 'operator-notes.txt');
		expect(backups).toHaveLength(5);
		expect(fs.existsSync(path.join(dir, '.backups', 'operator-notes.txt'))).toBe(true);
		const kept = backups.map(name => JSON.parse(fs.readFileSync(path.join(dir, '.backups', name), 'utf8')).n as number);
		expect(kept.sort()).toEqual([2, 3, 4, 5, 6]);
		expect(JSON.parse(fs.readFileSync(manifestPath, 'utf8')).n).toBe(7);
	});

	it('leaves the old manifest whole when the disk fills up mid-write', async ctx => {
		const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-tmpfs-'));
		const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0;
		if (!mounted) {
			fs.rmdirSync(mountPoint);
			ctx.skip('needs root and a working mount(8) to fill a tiny tmpfs');
		}
		onTestFinished(() => {
			spawnSync('umount', ['-l', mountPoint]);
			fs.rmSync(mountPoint, {recursive: true, force: true});
		});
		const dir = path.join(mountPoint, 'job');
		fs.mkdirSync(dir);
		const manifestPath = path.join(dir, 'job_manifest.json');
		fs.copyFileSync(fixture, manifestPath);
		const original = fs.readFileSync(manifestPath, 'utf8');
		// Fill the tmpfs, then free exactly one page: enough for the backup, not for the new manifest.
		for (let index = 0; ; index++) {
			try {
				fs.writeFileSync(path.join(mountPoint, `filler-${index}`), Buffer.alloc(4096));
			} catch {
				fs.rmSync(path.join(mountPoint, `filler-${index}`), {force: true});
				break;
			}
		}
		fs.rmSync(path.join(mountPoint, 'filler-0'));

		const result: UpdateOutcome = await updateManifest(manifestPath, recover);
		expect(result).toEqual({outcome: 'failed', error: expect.stringMatching(/ENOSPC|no space/i)});
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe(original);
		expect(backupsOf(dir)).toHaveLength(1);
		expect(leftoverTemps(dir)).toEqual([]);
		expect(lockIsHeld(path.join(dir, '.lock'))).toBe(false);
	});

	it("keeps the manifest's owner, and gives what it creates the job directory's owner", async ctx => {
		if (process.getuid?.() !== 0) ctx.skip('needs root to hand files to nobody');
		const nobody = Number(execFileSync('id', ['-u', 'nobody'], {encoding: 'utf8'}));
		const group = Number(execFileSync('id', ['-g', 'nobody'], {encoding: 'utf8'}));
		const {dir, manifestPath} = copyFixture();
		fs.chownSync(dir, nobody, group);
		fs.chownSync(manifestPath, nobody, group);

		expect((await updateManifest(manifestPath, recover)).outcome).toBe('written');
		const backups = path.join(dir, '.backups');
		for (const file of [manifestPath, backups, path.join(backups, backupsOf(dir)[0]!), path.join(dir, '.lock')]) {
			expect({file, uid: fs.statSync(file).uid, gid: fs.statSync(file).gid}).toEqual({file, uid: nobody, gid: group});
		}
	});

	it('refuses a manifest that is a symbolic link or not a JSON object', async () => {
		const {dir, manifestPath, original} = copyFixture();
		const elsewhere = path.join(path.dirname(dir), 'elsewhere.json');
		fs.renameSync(manifestPath, elsewhere);
		fs.symlinkSync(elsewhere, manifestPath);
		expect((await updateManifest(manifestPath, recover)).outcome).toBe('failed');
		expect(fs.readFileSync(elsewhere, 'utf8')).toBe(original);
		expect(fs.lstatSync(manifestPath).isSymbolicLink()).toBe(true);

		fs.rmSync(manifestPath);
		fs.writeFileSync(manifestPath, '[1, 2]');
		expect((await updateManifest(manifestPath, recover)).outcome).toBe('failed');
		expect(fs.readFileSync(manifestPath, 'utf8')).toBe('[1, 2]');
		expect(backupsOf(dir)).toEqual([]);
	});
});

describe('createManifest', () => {
	it('creates the job directory and its manifest whole, and never replaces one', async () => {
		const dir = path.join(makeTempDir(), 'jobs', 'new-job');
		const manifest = {job_id: 'new-job', status: 'RUNNING', history: [{event: 'JOB_STARTED'}]};
		await createManifest(dir, manifest);
		expect(JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8'))).toEqual(manifest);
		expect(fs.readdirSync(dir)).toEqual(['job_manifest.json']);

		await expect(createManifest(dir, {job_id: 'other'})).rejects.toThrow(/EEXIST/);
		expect(JSON.parse(fs.readFileSync(path.join(dir, 'job_manifest.json'), 'utf8'))).toEqual(manifest);
		expect(fs.readdirSync(dir)).toEqual(['job_manifest.json']);
	});
});
