// Short options that take a password, for the programs known to mean one by them: elsewhere a
// short flag is judged by nothing (`ssh -p 22`, `tar -p`, `redis-cli -p 6379` are not secrets).
// `mysql -pX` and `-p X` both hide X (for mysql `-p X` prompts and X names the database: hidden
// all the same, as someone may have meant it as the password).

/** Program (its file name) -> its short option whose value is a password. */
const passwordFlags: ReadonlyMap<string, string> = new Map([
	...['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlcheck', 'mysqlshow', 'mysqlpump', 'mysqlslap', 'mariadb', 'mariadb-dump', 'mariadb-admin', 'mariadb-import', 'mariadb-check', 'mariadb-show', 'mariadb-slap'].map(name => [name, '-p'] as const),
	['sshpass', '-p'],
	['redis-cli', '-a'],
]);

/** Programs whose options all come before the command they run: their flag applies only up to it. */
const optionsFirst = new Set(['sshpass']);

/** A word's program name: its file name, quotes and a leading `(` or `$(` off (no pattern: a word may be 1 MiB). */
function programOf(word: string): string {
	let start = 0;
	let end = word.length;
	while (start < end && '$(`\'"'.includes(word[start]!)) start++;
	while (end > start && ')`\'";'.includes(word[end - 1]!)) end--;
	const bare = word.slice(start, end);
	return bare.slice(bare.lastIndexOf('/') + 1);
}

/** Whether a word ends a shell command: `;`, `|`, `&` (and `&&`, `||`), alone or at its end. */
function endsCommand(word: string): boolean {
	return ';|&'.includes(word.at(-1) ?? ' ');
}

/**
 * Words (a command line's arguments, or a text cut at its spaces) with the values of known
 * programs' password options as `hidden`: `-pX` as `-p***`, `-p X` as `-p ***`. Each word is looked
 * at once. A program's flag holds to the end of its command (a `;`, `|`, `&` or a new line), or for
 * a program whose options come first (sshpass) up to the first word that is not an option.
 */
export function hidePasswordOptions(words: readonly string[], hidden: string, isSpace?: (word: string) => boolean): string[] {
	const result = [...words];
	let flag: string | undefined;
	let program = '';
	let hideNext = false;
	// In a text cut at its spaces, a quoted password (`-p"two words"`) goes on to its closing quote:
	// the words up to it, and the spaces before them, are dropped (up to the line's end at most).
	let quote: string | undefined;
	const opensQuote = (value: string) => {
		const first = value[0];
		if (isSpace && (first === '"' || first === "'") && !value.includes(first, 1)) quote = first;
	};
	for (let index = 0; index < result.length; index++) {
		const word = result[index]!;
		if (isSpace?.(word)) {
			if (word.includes('\n')) flag = quote = undefined;
			else if (quote !== undefined) result[index] = '';
			continue;
		}
		if (quote !== undefined) {
			const closed = word.indexOf(quote);
			// What follows its closing quote stays (`pass";` keeps its `;`, which ends the command).
			result[index] = closed < 0 ? '' : word.slice(closed + 1);
			if (closed < 0) continue;
			quote = undefined;
			if (endsCommand(word)) flag = undefined;
			continue;
		}
		if (hideNext && !word.startsWith('-')) {
			result[index] = hidden;
			opensQuote(word);
		} else {
			const named = word.startsWith('-') ? undefined : passwordFlags.get(programOf(word));
			if (named !== undefined) {
				flag = named;
				program = programOf(word);
			} else if (flag !== undefined && word === flag) {
				hideNext = true;
				continue;
			} else if (flag !== undefined && word.startsWith(flag) && word.length > flag.length) {
				result[index] = `${flag}${hidden}`;
				opensQuote(word.slice(flag.length));
			} else if (flag !== undefined && !word.startsWith('-') && optionsFirst.has(program)) {
				flag = undefined;
			}
		}
		hideNext = false;
		if (endsCommand(word)) flag = undefined;
	}
	return result;
}
