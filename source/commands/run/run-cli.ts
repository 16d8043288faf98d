import type {Config} from '../../config/load-config.js';
import {runCommand} from './run.js';
import {isSafeJobId} from './job-id.js';

type RunFlags = {id: string | undefined; role: string | undefined; retries: string | undefined; command: string[]};

/** `run`: check its own flags (a bad one is a one-line error, exit 2), then run the command. */
export async function runFromCli(config: Config, flags: RunFlags, fail: (message: string, code: number) => never): Promise<number> {
	if (flags.command.length === 0) fail('run needs a command after --, e.g. sentinel-tui run -- make test', 2);
	const role = (flags.role ?? 'worker').toLowerCase();
	if (role !== 'worker' && role !== 'supervisor') fail(`--role: "${flags.role}" is not worker or supervisor`, 2);
	const retries = flags.retries === undefined ? 3 : Number(flags.retries);
	if (!Number.isInteger(retries) || retries < 0) fail(`--retries: "${flags.retries}" is not a whole number`, 2);
	if (flags.id !== undefined && !isSafeJobId(flags.id)) fail(`--id: "${flags.id}" is not a safe job name (up to 100 letters, digits, . _ -, starting with a letter or digit)`, 2);
	return runCommand({jobsDir: config.jobsDir, id: flags.id, role, retries, command: flags.command});
}
