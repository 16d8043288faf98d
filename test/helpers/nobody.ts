import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {cliEnv, cliPath, finished, spawnPiped, type Finished} from './cli.js';
import {makeTempDir} from './temp-dir.js';

/** Only root can run a command as another user or hand files to one. */
export const isRoot = process.getuid?.() === 0;

/** The words that run a command as nobody:nogroup with no supplementary groups (root only). */
export const asNobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];

/** nobody's uid and nogroup's gid: what a process started with `asNobody` runs as. */
export function nobodyIds(): {uid: number; gid: number} {
	const uid = Number(execFileSync('id', ['-u', 'nobody'], {encoding: 'utf8'}).trim());
	const gid = Number(execFileSync('getent', ['group', 'nogroup'], {encoding: 'utf8'}).split(':')[2]);
	return {uid, gid};
}

/** Hand `dir` and everything in it (links themselves, not their targets) to nobody:nogroup. */
export function giveToNobody(dir: string): void {
	const {uid, gid} = nobodyIds();
	fs.lchownSync(dir, uid, gid);
	for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) fs.lchownSync(path.join(entry.parentPath, entry.name), uid, gid);
}

/** A HOME that nobody can read (its config file is looked for there), removed when the test ends. */
export function nobodyHome(): string {
	const home = makeTempDir('sentinel-home-');
	giveToNobody(home);
	return home;
}

/** Run `sentinel-tui ...args` as nobody, with HOME `home` (see nobodyHome), to its end. */
export async function runCliAsNobody(args: string[], home: string): Promise<Finished> {
	return finished(spawnPiped(asNobody[0]!, [...asNobody.slice(1), process.execPath, cliPath, ...args], {env: cliEnv(home)}));
}
