import {hidePasswordOptions, mayNamePasswordProgram} from './password-options.js';

// Secrets stay out of evidence (SPEC section 15): values given to arguments named like secrets,
// and strings shaped like known keys, become `***`. Over-redacting a harmless value costs a
// post-mortem little; one token left in a file that outlives the job costs a lot. Names are
// judged, and short flags only for the programs known to take a password by them
// (password-options.ts: `-p` is a port as often as a password). Every pattern runs in
// time linear in its text: it is read right before the first signal, and a command line may be
// 16 KiB of one word.

export const hidden = '***';

/** One word of a name that says its value is secret: `api-key`, `GITHUB_TOKEN`, `--password`, `authorization`. */
const secretWord = /^(?:\w*(?:token|secret|password|passwd|key)s?|pwd|pass|passphrase|auth\w*|cred(?:s|entials?)|cookie|bearer)$/i;

/** Whether an argument or variable name (dashes, prefix and all) names a secret. */
export function secretName(name: string): boolean {
	return name
		.replace(/^-+/, '')
		.split(/[-_.]/)
		.some(word => secretWord.test(word));
}

// Known shapes of keys, wherever they appear: OpenAI/Anthropic `sk-`, GitHub's `ghp_` and kin,
// Slack's `xoxb-` and kin, AWS access key ids; `Bearer <token>`; and all of an `Authorization:` or `Cookie:` header's value
// (`Authorization: token X` names its scheme with a word no shape knows). A shape or a name starts
// only where a run of its characters starts, so no text is scanned again from each of its letters.
const keyShapes: ReadonlyArray<[RegExp, string]> = [
	[/(?<![\w-])sk-[\w-]{8,}/g, hidden],
	[/(?<!\w)(?:gh[pousr]_\w{16,}|github_pat_\w{16,})/g, hidden],
	[/(?<!\w)xox[abposr]-[\w-]{8,}/g, hidden],
	[/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, hidden],
	[/\b(bearer|basic)(\s+)[\w.~+/=-]{8,}/gi, `$1$2${hidden}`],
	[/(?<![\w-])((?:proxy-)?authorization|cookie)(\s*:\s*)[^\s"'][^"'\r\n]*/gi, `$1$2${hidden}`],
];

/**
 * A URL's user part: its user, which may be empty (`redis://:PASSWORD@host`), and its password up
 * to the last `@` before the path (a password may hold one). Only where a run of scheme characters
 * starts, so no text is scanned again from each of its letters.
 */
const urlUser = /(?<![\w+.-])([a-z][\w+.-]*):\/\/([^\s:/@?#]*)(:[^\s/]*)?@/gi;
/** Schemes whose user part is a credential as often as a name: the forges take a token there, as the user or the password. */
const webSchemes = new Set(['http', 'https', 'ws', 'wss']);

/**
 * All of a web URL's user part hidden (`https://TOKEN@github.com`, `https://TOKEN:x-oauth-basic@`,
 * `https://oauth2:TOKEN@`); any other URL's password (`postgres://app:***@db`), its user alone
 * kept: an account's name (`ssh://git@host`).
 */
function hideUrlUsers(text: string): string {
	return text.replace(urlUser, (whole, scheme: string, user: string, password: string | undefined) => {
		if (webSchemes.has(scheme.slice(scheme.lastIndexOf('+') + 1).toLowerCase())) return `${scheme}://${hidden}@`;
		return password === undefined ? whole : `${scheme}://${user}:${hidden}@`;
	});
}

const space = /^\s/;

/** `NAME=` (or `name: `) inside a text, NAME starting where a run of name characters does. */
const assignedName = /(?<![\w.-])([\w.-]+)(["']?\s*[=:]\s*)/g;
/** The value after it: quoted, or up to a space or a separator (never an object's or a list's start, nor a URL's `//`). */
const assignedValue = /(?!\/\/)(?:"[^"]*"|'[^']*'|(?![{[])[^\s&;,"']+)/y;

/** `--token value` inside a text (a command line joined by spaces). */
const flagAndValue = /(^|\s)(-{1,2}[\w.-]+)(\s+)([^\s-]\S*)/g;

/**
 * Secret assignments' values hidden. Only a secret's name has its value read (so no value is read
 * again from each name in it); any other name's value gets a look of its own, for names inside it
 * (`--header=X-Api-Key:abc`, `https://host/x?token=abc`). A value starting `//` is a URL's
 * (`auth://host`), and is not read.
 */
function hideAssignments(text: string): string {
	let result = '';
	let kept = 0;
	assignedName.lastIndex = 0;
	for (let found = assignedName.exec(text); found !== null; found = assignedName.exec(text)) {
		if (!secretName(found[1]!)) continue;
		assignedValue.lastIndex = assignedName.lastIndex;
		const value = assignedValue.exec(text)?.[0];
		if (value === undefined || value === hidden) continue;
		result += `${text.slice(kept, assignedName.lastIndex)}${hidden}`;
		kept = assignedName.lastIndex + value.length;
		assignedName.lastIndex = kept;
	}
	return result + text.slice(kept);
}

/** A text with key shapes, secret assignments and secret flags' values replaced by `***`. */
export function redactText(text: string): string {
	let result = text;
	for (const [shape, replacement] of keyShapes) result = result.replace(shape, replacement);
	result = hideUrlUsers(result);
	result = result.replace(flagAndValue, (whole, before: string, flag: string, between: string) => (secretName(flag) ? `${before}${flag}${between}${hidden}` : whole));
	result = hideAssignments(result);
	return mayNamePasswordProgram.test(result) ? hidePasswordOptions(result.split(/(\s+)/), hidden, word => space.test(word)).join('') : result;
}

/** `--name=value` as one argument: the value is all the rest of it, spaces and all. */
const flagWithValue = /^(-{0,2}[\w.-]+)=/;

/**
 * A command line's arguments with secrets hidden: `--token X` (the next argument), `--api-key=X`,
 * `PASSWORD=X`, known programs' password options (`mysql -pX`), and key shapes anywhere in an argument.
 */
export function redactArguments(args: readonly string[]): string[] {
	const redacted = args.map((arg, index) => {
		const previous = index > 0 ? args[index - 1]! : '';
		// `--token X`: the flag alone, its value the next argument.
		if (/^-{1,2}[\w.-]+$/.test(previous) && secretName(previous) && !arg.startsWith('-')) return hidden;
		const name = flagWithValue.exec(arg)?.[1];
		if (name !== undefined && secretName(name)) return `${name}=${hidden}`;
		return redactText(arg);
	});
	return hidePasswordOptions(redacted, hidden);
}
