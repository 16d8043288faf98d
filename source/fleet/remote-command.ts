import {parse} from 'shell-quote';

/** `--remote-command`'s default: ssh that never asks for a password (it would ask on the dashboard's terminal). */
export const defaultRemoteCommand = 'ssh -o BatchMode=yes {host}';

/** What the fleet can run on a host: the action commands of SPEC section 14. */
export type RemoteAction = 'terminate' | 'recover' | 'pause' | 'resume';

/**
 * The template split into argv as a shell would split it (quotes kept together), or a problem in
 * words: an operator (`;`, `|`, `>`), a variable, a glob or a comment is refused, as the argv is
 * run without a shell and none of them would mean what it says.
 */
export function parseRemoteCommand(template: string): {argv: string[]} | {problem: string} {
	const tokens = parse(template, name => ({variable: name}));
	const argv: string[] = [];
	for (const token of tokens) {
		if (typeof token === 'string') argv.push(token);
		else return {problem: `--remote-command ${JSON.stringify(template)} holds ${describe(token)}, which is not run through a shell: write the command and its arguments only`};
	}
	if (argv.length === 0) return {problem: '--remote-command is empty'};
	return {argv};
}

function describe(token: object): string {
	if ('variable' in token) return 'a variable';
	if ('comment' in token) return 'a comment';
	if ('op' in token && token.op === 'glob') return 'a glob';
	return `the operator ${JSON.stringify((token as {op?: string}).op)}`;
}

/** `'value'` for a POSIX shell: nothing inside single quotes is read but the closing quote. */
export function singleQuoted(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The argv that runs `sentinel-tui <action> <job> --jobs-dir <dir> --yes --json` on a host: the
 * template with `{host}` put in, then the action command, each word single-quoted for the shell
 * on the far side that ssh hands them to as one line. The caller has checked every label plain.
 */
export function remoteArgv(template: readonly string[], host: string, action: RemoteAction, jobId: string, jobsDir: string): string[] {
	const command = ['sentinel-tui', action, jobId, '--jobs-dir', jobsDir, '--yes', '--json'];
	return [...template.map(word => word.replaceAll('{host}', host)), ...command.map(singleQuoted)];
}
