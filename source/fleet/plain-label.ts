import {sanitize} from '../text/sanitize.js';

// Labels come from other machines and end up as arguments of a command run there (SPEC section
// 14): only names that no shell, ssh or option parser reads as anything but a name are taken.
const plainName = /^[A-Za-z0-9._-]+$/;
const plainDirectory = /^[A-Za-z0-9._\/-]+$/;

/** Why a host or job id label is not plain, or null when it is. A leading `-` would read as an option. */
export function nameProblem(kind: 'host' | 'job id', value: string): string | null {
	if (value === '') return `its ${kind} label is empty`;
	if (!plainName.test(value)) return `its ${kind} label is not plain (letters, digits, ._- only): refused`;
	if (value.startsWith('-')) return `its ${kind} label starts with "-": refused`;
	return null;
}

/** Why a jobs directory label is not plain, or null: absolute, letters, digits, `._-/`, no `..` segment. */
export function directoryProblem(value: string): string | null {
	if (!plainDirectory.test(value)) return 'its jobs_dir label is not plain (letters, digits, ._-/ only): refused';
	if (!value.startsWith('/')) return 'its jobs_dir label is not an absolute path: refused';
	if (value.split('/').includes('..')) return 'its jobs_dir label holds a ".." segment: refused';
	return null;
}

/** A label as the screen may show it: sanitised, and cut past 200 characters. */
export function shownLabel(value: string): string {
	const clean = sanitize(value);
	return clean.length > 200 ? `${clean.slice(0, 199)}\u2026` : clean;
}
