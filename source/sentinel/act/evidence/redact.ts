// Secrets stay out of evidence (SPEC section 15): values given to arguments named like secrets,
// and strings shaped like known keys, become `***`. Over-redacting a harmless value costs a
// post-mortem little; one token left in a file that outlives the job costs a lot.

export const hidden = '***';

/** One word of a name that says its value is secret: `api-key`, `GITHUB_TOKEN`, `--password`, `authorization`. */
const secretWord = /^(?:\w*(?:token|secret|password|passwd|key|keys)|pwd|pass|passphrase|auth\w*|credentials?|cookie|bearer)$/i;

/** Whether an argument or variable name (dashes, prefix and all) names a secret. */
export function secretName(name: string): boolean {
	return name
		.replace(/^-+/, '')
		.split(/[-_.]/)
		.some(word => secretWord.test(word));
}

// Known shapes of keys, wherever they appear: OpenAI/Anthropic `sk-`, GitHub's `ghp_` and kin,
// Slack's `xoxb-` and kin, AWS access key ids; and `Bearer <token>`, and a password in a URL.
const keyShapes: ReadonlyArray<[RegExp, string]> = [
	[/(?<![\w-])sk-[\w-]{8,}/g, hidden],
	[/(?<!\w)(?:gh[pousr]_\w{16,}|github_pat_\w{16,})/g, hidden],
	[/(?<!\w)xox[abposr]-[\w-]{8,}/g, hidden],
	[/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, hidden],
	[/\b(bearer|basic)(\s+)[\w.~+/=-]{8,}/gi, `$1$2${hidden}`],
	[/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${hidden}@`],
];

/** `NAME=value` (or `name: value`) inside a text, where NAME names a secret. */
const assignment = /([\w.-]+)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"']+)/g;

/** `--token value` inside a text (a command line joined by spaces). */
const flagAndValue = /(^|\s)(-{1,2}[\w.-]+)(\s+)([^\s-]\S*)/g;

/** A text with key shapes, secret assignments and secret flags' values replaced by `***`. */
export function redactText(text: string): string {
	let result = text;
	for (const [shape, replacement] of keyShapes) result = result.replace(shape, replacement);
	result = result.replace(flagAndValue, (whole, before: string, flag: string, between: string) => (secretName(flag) ? `${before}${flag}${between}${hidden}` : whole));
	return result.replace(assignment, (whole, name: string, between: string, value: string) =>
		secretName(name) && value !== hidden && !value.startsWith('//') ? `${name}${between}${hidden}` : whole,
	);
}

/**
 * A command line's arguments with secrets hidden: `--token X` (the next argument), `--api-key=X`,
 * `PASSWORD=X`, and key shapes anywhere in an argument.
 */
export function redactArguments(args: readonly string[]): string[] {
	return args.map((arg, index) => {
		const previous = index > 0 ? args[index - 1]! : '';
		// `--token X`: the flag alone, its value the next argument.
		if (/^-{1,2}[\w.-]+$/.test(previous) && secretName(previous) && !arg.startsWith('-')) return hidden;
		return redactText(arg);
	});
}
