// Paths reach a shell from the tests, and the OS temp dir or the clone's own path may hold a space.

/** `'value'` for a POSIX shell: a path put in a command line the product runs with `sh -c`. */
export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The argv that runs `script` in sh with `args` as its "$1", "$2"...: words the shell never splits. */
export function sh(script: string, ...args: string[]): string[] {
	return ['sh', '-c', script, 'sh', ...args];
}
