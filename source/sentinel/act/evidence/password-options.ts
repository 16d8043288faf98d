// Options that take a password, for the programs known to mean one by them: elsewhere an option
// is judged by its name alone (`ssh -p 22`, `tar -p`, `redis-cli -p 6379`, `docker run -p 8080:80`
// are not secrets). `mysql -pX` and `-p X` both hide X (for mysql `-p X` prompts and X names the
// database: hidden all the same, as someone may have meant it as the password).

/** How a program takes a password on its command line. */
interface PasswordOptions {
	/** Its options whose value is a password: a short one takes it attached too (`-pX`), a long one after `=`. */
	readonly options: readonly string[];
	/** The subcommand they mean a password in, if only one: `docker login -p` (elsewhere docker's `-p` publishes a port). */
	readonly within?: string;
	/** The value is `user:password` (or `file:password`) and only what follows its first `:` is secret: a user alone makes curl ask. */
	readonly userFirst?: boolean;
	/** Short options run together, the last one taking the value: `curl -sSu user:pass`. */
	readonly bundled?: boolean;
	/** All its options come before the command it runs (sshpass): they hold only up to it. */
	readonly optionsFirst?: boolean;
}

const mysql: PasswordOptions = {options: ['-p']};
// The registry clients' `login` (docker's, and those made in its image) all take `-p, --password`.
const registryLogin: PasswordOptions = {options: ['-p'], within: 'login'};

/** Program (its file name) -> how it takes a password. */
const passwordOptions: ReadonlyMap<string, PasswordOptions> = new Map([
	...['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlcheck', 'mysqlshow', 'mysqlpump', 'mysqlslap', 'mariadb', 'mariadb-dump', 'mariadb-admin', 'mariadb-import', 'mariadb-check', 'mariadb-show', 'mariadb-slap'].map(name => [name, mysql] as const),
	['sshpass', {options: ['-p'], optionsFirst: true}],
	['redis-cli', {options: ['-a']}],
	// Its client certificates take a passphrase the same way: `--cert file[:password]`.
	['curl', {options: ['-u', '-U', '--user', '--proxy-user', '-E', '--cert', '--proxy-cert'], userFirst: true, bundled: true}],
	...['docker', 'podman', 'buildah', 'skopeo', 'nerdctl', 'oras', 'helm'].map(name => [name, registryLogin] as const),
	// The clouds' command lines log in the same way: `oc login -u U -p P`, `az login -u U -p P`, `cf login -p P`.
	...['oc', 'az', 'cf'].map(name => [name, registryLogin] as const),
]);

/** Whether a text may name a program of the table: only then is it cut at its spaces and looked at. */
export const mayNamePasswordProgram = /mysql|mariadb|sshpass|redis-cli|curl|docker|podman|buildah|skopeo|nerdctl|oras|helm|\b(?:oc|az|cf)\b/i;

/** A word's program name: its file name, quotes and a leading `(` or `$(` off (no pattern: a word may be 1 MiB). */
function programOf(word: string): string {
	let start = 0;
	let end = word.length;
	while (start < end && '$(`\'"'.includes(word[start]!)) start++;
	while (end > start && ')`\'";'.includes(word[end - 1]!)) end--;
	const bare = word.slice(start, end);
	return bare.slice(bare.lastIndexOf('/') + 1);
}

/**
 * How a word names a program of the table, if it does: as a whole (`/usr/bin/mysql`, `$(mysql`),
 * or after a shell's `;`, `|` or `&` inside it (`cd db&&mysql`). The latter only adds a program:
 * the word may be a URL's query (`?a=1&b=2`), so what came before is not taken to have ended.
 */
function programNamed(word: string): PasswordOptions | undefined {
	const named = passwordOptions.get(programOf(word));
	if (named !== undefined) return named;
	const cut = Math.max(word.lastIndexOf(';', word.length - 2), word.lastIndexOf('|', word.length - 2), word.lastIndexOf('&', word.length - 2));
	return cut < 0 ? undefined : passwordOptions.get(programOf(word.slice(cut + 1)));
}

/** Whether a word ends a shell command: `;`, `|`, `&` (and `&&`, `||`), alone or at its end. */
function endsCommand(word: string): boolean {
	return ';|&'.includes(word.at(-1) ?? ' ');
}

/** A short option's character: curl's run together with its digits (`-4u`) and `-#` too. */
const letter = /^[a-z0-9#:]$/i;

/** Where a word gives a password option's value: in the next word, from an index of its own, or not at all. */
function valueStart(word: string, takes: PasswordOptions): 'next' | number | undefined {
	for (const option of takes.options) {
		if (word === option) return 'next';
		if (option.startsWith('--')) {
			if (word.startsWith(`${option}=`)) return option.length + 1;
		} else if (word.startsWith(option)) return option.length;
	}
	if (!takes.bundled || word[0] !== '-') return undefined;
	// `-sSu` and `-sSuX`: letters run together up to the first that takes the value.
	for (let index = 1; index < word.length && letter.test(word[index]!); index++) {
		if (takes.options.includes(`-${word[index]}`)) return index + 1 === word.length ? 'next' : index + 1;
	}
	return undefined;
}

/**
 * Words (a command line's arguments, or a text cut at its spaces) with the values of known
 * programs' password options as `hidden`: `-pX` as `-p***`, `-p X` as `-p ***`, curl's
 * `-u user:X` as `-u user:***`. Each word is looked at once. A program's options hold to the end
 * of its command (a `;`, `|`, `&` or a new line), or for a program whose options come first
 * (sshpass) up to the first word that is not an option; a program named inside another's command
 * (`docker run img mysql -pX`, a path `--config /etc/docker`) adds its options to those.
 */
export function hidePasswordOptions(words: readonly string[], hidden: string, isSpace?: (word: string) => boolean): string[] {
	const result = [...words];
	// The programs of the command so far, each with whether its options hold yet (`docker` before `login`).
	// One entry per kind of program, so it stays a handful long however many words name one.
	const active = new Map<PasswordOptions, boolean>();
	let pending: PasswordOptions | undefined;
	// In a text cut at its spaces, a quoted password (`-p"two words"`) goes on to its closing quote:
	// the words up to it, and the spaces before them, are dropped (up to the line's end at most).
	let quote: string | undefined;
	const opensQuote = (value: string) => {
		if (isSpace && quoteOpens(value)) quote = value[0];
	};
	/** Where the secret of a value from `start` begins (`user:password`'s password), if it holds one. */
	const secretFrom = (word: string, start: number, takes: PasswordOptions): number | undefined => {
		if (!takes.userFirst || (isSpace && quoteOpens(word.slice(start)))) return start;
		const colon = word.indexOf(':', start);
		return colon < 0 ? undefined : colon + 1;
	};
	const hideFrom = (index: number, secret: number) => {
		const word = result[index]!;
		result[index] = `${word.slice(0, secret)}${hidden}`;
		opensQuote(word.slice(secret));
	};
	for (let index = 0; index < result.length; index++) {
		const word = result[index]!;
		if (isSpace?.(word)) {
			if (word.includes('\n')) {
				active.clear();
				quote = undefined;
			} else if (quote !== undefined) result[index] = '';
			continue;
		}
		if (quote !== undefined) {
			const closed = word.indexOf(quote);
			// What follows its closing quote stays (`pass";` keeps its `;`, which ends the command).
			result[index] = closed < 0 ? '' : word.slice(closed + 1);
			if (closed < 0) continue;
			quote = undefined;
			if (endsCommand(word)) active.clear();
			continue;
		}
		const takes = pending;
		pending = undefined;
		// curl's -u takes the next word whatever it starts with; mysql's -p alone takes none.
		if (takes !== undefined && (!word.startsWith('-') || takes.userFirst)) {
			const secret = secretFrom(word, 0, takes);
			if (secret !== undefined) hideFrom(index, secret);
		} else if (word.startsWith('-')) {
			// Every program of the command is asked, and the most that any finds secret is hidden: what
			// one finds nothing secret in (curl's -U in mysql's -pSUPER) may be another's password.
			let secret: number | undefined;
			for (const [options, holds] of active) {
				const start = holds ? valueStart(word, options) : undefined;
				if (start === 'next') pending ??= options;
				else if (start !== undefined) {
					const from = secretFrom(word, start, options);
					if (from !== undefined && (secret === undefined || from < secret)) secret = from;
				}
			}
			if (secret !== undefined) hideFrom(index, secret);
		} else {
			for (const [options, holds] of active) {
				if (options.optionsFirst) active.delete(options);
				else if (!holds && programOf(word) === options.within) active.set(options, true);
			}
			const named = programNamed(word);
			if (named !== undefined && !active.has(named)) active.set(named, named.within === undefined);
		}
		if (endsCommand(word)) {
			active.clear();
			pending = undefined;
		}
	}
	return result;
}

/** Whether a value opens a quote it does not close in the same word. */
function quoteOpens(value: string): boolean {
	const first = value[0];
	return (first === '"' || first === "'") && !value.includes(first, 1);
}
