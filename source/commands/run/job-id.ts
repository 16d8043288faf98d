import path from 'node:path';
import {randomBytes} from 'node:crypto';

// A job id becomes a directory name and a word on every screen: letters, digits, `.`, `_`, `-`,
// starting with a letter or digit, so it can be neither `..` nor hidden nor a path.
const safeJobId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** True when `id` is safe to use as a job directory's name. */
export function isSafeJobId(id: string): boolean {
	return safeJobId.test(id);
}

/** The command's base name and a short random suffix, like `sleep-3f9a`. */
export function defaultJobId(command: readonly string[]): string {
	const name = path
		.basename(command[0] ?? '')
		.replaceAll(/[^A-Za-z0-9._-]+/g, '-')
		.replace(/^[^A-Za-z0-9]+/, '')
		.slice(0, 40);
	return `${name || 'job'}-${randomBytes(2).toString('hex')}`;
}

/** The argv as one line an operator could paste into a shell. */
export function formatCommand(command: readonly string[]): string {
	return command.map(arg => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}
