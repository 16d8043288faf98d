import fs from 'node:fs';
import path from 'node:path';
import {lstatOrNull} from '../../jobs/activity-files.js';
import {logsFolder} from '../../jobs/output-files.js';
import type {OutputMemory} from './output-follower.js';

const {O_RDONLY, O_DIRECTORY, O_NOFOLLOW} = fs.constants;
// A file of `logs/` is opened through the folder's descriptor, so a `logs` swapped for a link after
// it was looked at leads nowhere outside the job directory. Linux only; elsewhere by its path.
const throughDescriptor = fs.existsSync('/proc/self/fd');

/** What a look at a `logs` folder tells and remembers: the follower's memory of a job, or the evidence's own. */
export type LogsNotes = Pick<OutputMemory, 'tell' | 'logsLink'>;

/** Says once that the job's `logs` is a link (never followed), and remembers whether it is one now. */
export function noteLogsLink(memory: LogsNotes, logsLink: boolean): void {
	if (logsLink && !memory.logsLink) memory.tell(`${logsFolder} is a symbolic link: never followed`);
	memory.logsLink = logsLink;
}

/** The `logs` folder of the job looked at, opened on first need (O_NOFOLLOW) and closed after the look. */
export class LogsFolder {
	private fd: number | null | undefined;
	private dir = '';
	private memory: LogsNotes | null = null;

	begin(dir: string, memory: LogsNotes): void {
		this.dir = dir;
		this.memory = memory;
		this.fd = undefined;
	}

	/** A file of the job by its name, `logs` taken as it is: to be stat'ed, never read. */
	named(relative: string): string {
		return path.join(this.dir, relative);
	}

	/** Where to open a file of the job (its path inside the job directory); null when it is not to be read. */
	path(relative: string): string | null {
		if (!relative.startsWith(logsFolder + path.sep)) return path.join(this.dir, relative);
		const name = relative.slice(logsFolder.length + 1);
		if (!throughDescriptor) return path.join(this.dir, relative);
		this.fd ??= this.open();
		return this.fd === null ? (this.memory!.logsLink ? null : path.join(this.dir, relative)) : `/proc/self/fd/${this.fd}/${name}`;
	}

	close(): void {
		if (typeof this.fd === 'number') fs.closeSync(this.fd);
		this.fd = undefined;
	}

	private open(): number | null {
		try {
			const fd = fs.openSync(path.join(this.dir, logsFolder), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			this.memory!.logsLink = false;
			return fd;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// A link (ELOOP, or ENOTDIR for a link to a folder) is never followed; a `logs` gone is
			// looked up by its path, where every file of it is gone too.
			if (code === 'ELOOP' || (code === 'ENOTDIR' && lstatOrNull(path.join(this.dir, logsFolder))?.isSymbolicLink())) noteLogsLink(this.memory!, true);
			return null;
		}
	}
}
