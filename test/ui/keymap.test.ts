import fs from 'node:fs';
import path from 'node:path';
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {commandFor, dialogHints, footerHints, keymap, keymapMarkdown, keysLabel, keysOf, type Binding} from '../../source/ui/keymap.js';

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

function press(binding: Binding): [string, Key] {
	if ('key' in binding) return ['', {...noKey, [binding.key]: true}];
	return [binding.input, {...noKey, ctrl: binding.ctrl ?? false}];
}

describe('keymap', () => {
	it('has every command of the spec, each once', () => {
		const commands = keymap.map(entry => entry.command);
		expect(new Set(commands).size).toBe(commands.length);
		expect([...commands].sort()).toEqual(
			[
				...['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom', 'detail', 'back', 'evidence', 'terminate', 'recover', 'auto', 'pause', 'filter', 'faults', 'sort', 'help', 'quit'],
				...['filterKeep', 'filterClear', 'filterErase', 'confirmYes', 'confirmNo'],
			].sort(),
		);
	});

	it('routes every binding to its own command, in its own context', () => {
		for (const entry of keymap) {
			for (const binding of entry.bindings) expect(commandFor(...press(binding), entry.context ?? 'main'), binding.label).toBe(entry.command);
		}
		// The same key means what its context says: Enter opens the detail, keeps a filter, answers no.
		const enter: [string, Key] = ['', {...noKey, return: true}];
		expect([commandFor(...enter), commandFor(...enter, 'filter'), commandFor(...enter, 'confirm')]).toEqual(['detail', 'filterKeep', 'confirmNo']);
		expect(commandFor('y', noKey)).toBeUndefined();
	});

	it('gives the filter and the confirmation their key hints from their entries', () => {
		expect(dialogHints('filter')).toBe('Enter: keeps, Esc: clears');
		expect(dialogHints('confirm', '    ')).toBe('y: yes    n, Esc, Enter: no (the default)');
		expect(keysOf('main').every(entry => entry.context === undefined)).toBe(true);
	});

	it('has the bindings the spec names', () => {
		const labels = Object.fromEntries(keymap.map(entry => [entry.command, entry.bindings.map(binding => binding.label)]));
		expect(labels['up']).toEqual(['Up', 'k']);
		expect(labels['down']).toEqual(['Down', 'j']);
		expect(labels['top']).toContain('g');
		expect(labels['bottom']).toContain('G');
		expect(labels['terminate']).toEqual(['x']);
		expect(labels['recover']).toEqual(['r']);
		expect(labels['quit']).toEqual(['q', 'Ctrl-C']);
	});

	it('ignores keys it does not know, and a plain c is not Ctrl-C', () => {
		expect(commandFor('z', noKey)).toBeUndefined();
		expect(commandFor('c', noKey)).toBeUndefined();
		expect(commandFor('q', {...noKey, ctrl: true})).toBeUndefined();
	});

	it('keeps the footer to keys of the table, each naming its command', () => {
		for (const {keys, hint} of footerHints()) {
			const entry = keymap.find(candidate => candidate.hint === hint);
			expect(entry, hint).toBeDefined();
			for (const label of keys) expect(entry!.bindings.map(binding => binding.label)).toContain(label);
		}
	});

	it('renders the keys table as Markdown, one row a command', () => {
		const markdown = keymapMarkdown();
		const rows = markdown.split('\n');
		expect(rows.slice(0, 2)).toEqual(['| Keys | Does |', '|---|---|']);
		expect(rows).toHaveLength(keymap.length + 2);
		expect(markdown).toContain('| `y` | In a confirmation: Yes: carry out the action |');
		for (const entry of keymap) {
			expect(markdown).toContain(entry.description);
			for (const binding of entry.bindings) expect(markdown).toContain(`\`${binding.label}\``);
		}

		expect(keysLabel(keymap.find(entry => entry.command === 'up')!)).toBe('Up/k');
	});

	const readme = path.resolve(import.meta.dirname, '../../readme.md');
	it.skipIf(!fs.existsSync(readme))('the readme embeds exactly the keys table of the keymap', () => {
		expect(fs.readFileSync(readme, 'utf8')).toContain(keymapMarkdown());
	});
});
