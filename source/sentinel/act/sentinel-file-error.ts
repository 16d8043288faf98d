import fs from 'node:fs';
import path from 'node:path';

/** Why a file or folder of the sentinel cannot be used, in one line for operators; `code` is the errno name. */
export class SentinelFileError extends Error {
	constructor(
		message: string,
		readonly file: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'SentinelFileError';
	}
}

const reasons: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EROFS: 'read-only file system',
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	ENOENT: 'no such file or directory',
	ENOTDIR: 'a part of the path is not a folder',
	EISDIR: 'is a folder',
};

export function errnoOf(error: unknown): string | undefined {
	return (error as {code?: string} | null)?.code;
}

export function linkError(file: string): SentinelFileError {
	return new SentinelFileError(`${file} is a symbolic link: never followed (remove it)`, file, 'ELOOP');
}

/** Who owns what refused us, so "permission denied" says what to fix. */
function ownership(file: string): string {
	for (const candidate of [file, path.dirname(file)]) {
		try {
			const {uid} = fs.lstatSync(candidate);
			const whose = candidate === file ? 'owned' : `its folder is owned`;
			return ` (${whose} by uid ${uid}; this sentinel runs as uid ${process.getuid?.() ?? '?'})`;
		} catch {}
	}
	return '';
}

/** `error` met while trying to `doing` `file`, as one line: no errno prefix, no /proc path. */
export function fileError(doing: string, file: string, error: unknown): SentinelFileError {
	if (error instanceof SentinelFileError) return error;
	const code = errnoOf(error);
	if (code === 'ELOOP') return linkError(file);
	const reason = (code ? reasons[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
	return new SentinelFileError(`cannot ${doing} ${file}: ${reason}${code === 'EACCES' ? ownership(file) : ''}`, file, code);
}

