import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {optionsMarkdown} from '../source/config/options.js';
import {keymapMarkdown} from '../source/ui/keymap.js';

const readmePath = new URL('../readme.md', import.meta.url);

/** The text between `<!-- name:start -->` and `<!-- name:end -->`. */
function section(text: string, name: string): string {
	const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
	if (!match) throw new Error(`readme has no ${name} section`);
	return match[1]!.trim();
}

const generated = {keys: keymapMarkdown(), options: optionsMarkdown()};

// `UPDATE_README=1 npx vitest run test/readme.test.ts` writes the generated tables into the readme.
if (process.env['UPDATE_README']) {
	let text = fs.readFileSync(readmePath, 'utf8');
	for (const [name, table] of Object.entries(generated)) {
		text = text.replace(new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`), `$1${table}\n$2`);
	}
	fs.writeFileSync(readmePath, text);
}

describe('readme', () => {
	const text = fs.readFileSync(readmePath, 'utf8');

	it('shows the keys table generated from the keymap', () => {
		expect(section(text, 'keys')).toBe(generated.keys);
	});

	it('shows the options table generated from the option table', () => {
		expect(section(text, 'options')).toBe(generated.options);
	});

	it('stays a guide read in minutes: at most 250 lines, the rest in docs/', () => {
		expect(text.split('\n').length).toBeLessThanOrEqual(251);
		expect(text).toContain('docs/design.md');
	});

	it('opens with the two commands for a fresh machine', () => {
		const firstLines = text.split('\n').slice(0, 8).join('\n');
		expect(firstLines).toContain('npm run demo');
		expect(firstLines).toContain('npm test');
	});
});
