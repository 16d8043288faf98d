import readline from 'node:readline';
import type {Writable} from 'node:stream';

/**
 * Ask a yes-or-no question on the terminal: the lines, then `[y/N]`. Only `y` or `yes` is yes;
 * Enter, anything else, Ctrl-C and Ctrl-D are No, the default.
 */
export async function askYesNo(lines: readonly string[], input: NodeJS.ReadableStream, output: Writable): Promise<boolean> {
	output.write(`${lines.join('\n')}\n`);
	const prompt = readline.createInterface({input, output, terminal: true});
	try {
		const answer = await new Promise<string | null>(resolve => {
			prompt.question('[y/N] ', resolve);
			prompt.once('SIGINT', () => resolve(null));
			prompt.once('close', () => resolve(null));
		});
		// Ctrl-C and Ctrl-D leave the cursor on the prompt's line.
		if (answer === null) output.write('\n');
		return answer !== null && /^y(es)?$/i.test(answer.trim());
	} finally {
		prompt.close();
	}
}
