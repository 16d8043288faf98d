import type {Key} from 'ink';

/** Everything the operator can ask of the dashboard by key. */
export type Command =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'detail'
	| 'back'
	| 'evidence'
	| 'terminate'
	| 'recover'
	| 'auto'
	| 'pause'
	| 'filter'
	| 'faults'
	| 'sort'
	| 'help'
	| 'quit'
	| 'filterKeep'
	| 'filterClear'
	| 'filterErase'
	| 'confirmYes'
	| 'confirmNo';

/**
 * Where a key means something: the table and the detail view, the detail view alone, the filter
 * being typed, or a confirmation asking before an action.
 */
export type KeyContext = 'main' | 'detail' | 'filter' | 'confirm';

/** Ink's names for keys that have no printable input. */
export type NamedKey = 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'backspace' | 'delete';

/** One key that triggers a command: a named key, or a printable input (optionally with Ctrl). */
export type Binding =
	| {readonly key: NamedKey; readonly label: string}
	| {readonly input: string; readonly ctrl?: boolean; readonly label: string};

/** One command of the keymap with its keys and words. */
export type KeymapEntry = {
	readonly command: Command;
	/** Where the keys work; absent: the table and the detail view. */
	readonly context?: Exclude<KeyContext, 'main'>;
	readonly bindings: readonly Binding[];
	/** What it does, in the operator's words: shown in the help overlay and the readme. */
	readonly description: string;
	/** Short word for the footer; entries without one are only in the help overlay. */
	readonly hint?: string;
	/**
	 * Kept in the footer however narrow the terminal; the other hints give way first, from the
	 * right (so keymap order is also the footer's order of importance).
	 */
	readonly pinned?: true;
};

const named = (key: NamedKey, label: string): Binding => ({key, label});
const typed = (input: string, label = input): Binding => ({input, label});

/** The one table of keys: it drives the key handling, the help overlay, the footer and the readme. */
export const keymap: readonly KeymapEntry[] = [
	{command: 'help', bindings: [typed('?')], description: 'Show or hide this help', hint: 'help', pinned: true},
	{command: 'up', bindings: [named('upArrow', 'Up'), typed('k')], description: 'Select the job above (scroll in the detail view)'},
	{command: 'down', bindings: [named('downArrow', 'Down'), typed('j')], description: 'Select the job below (scroll in the detail view)'},
	{command: 'pageUp', bindings: [named('pageUp', 'PgUp')], description: 'One page up'},
	{command: 'pageDown', bindings: [named('pageDown', 'PgDn')], description: 'One page down'},
	{command: 'top', bindings: [typed('g'), named('home', 'Home')], description: 'Go to the first job'},
	{command: 'bottom', bindings: [typed('G'), named('end', 'End')], description: 'Go to the last job'},
	{command: 'detail', bindings: [named('return', 'Enter')], description: 'Open the detail view of the selected job', hint: 'detail'},
	{command: 'back', bindings: [named('escape', 'Esc')], description: 'Back to the table; in the table, clear filter and faults'},
	{command: 'terminate', bindings: [typed('x')], description: 'Terminate the selected job (asks first)', hint: 'terminate'},
	{command: 'recover', bindings: [typed('r')], description: 'Recover the selected job (asks first)', hint: 'recover'},
	{command: 'pause', bindings: [typed('p')], description: 'Pause or resume automatic action on the selected job', hint: 'pause'},
	{command: 'auto', bindings: [typed('a')], description: 'Auto on/off for this instance; off releases the leader lock', hint: 'auto'},
	{command: 'filter', bindings: [typed('/')], description: 'Filter by id, status, description; Enter keeps, Esc clears', hint: 'filter'},
	{command: 'faults', bindings: [typed('f')], description: 'Show only jobs above ok, and invalid jobs', hint: 'faults'},
	{command: 'sort', bindings: [typed('s')], description: 'Change the order: severity, silence, id, cpu, mem', hint: 'sort'},
	{command: 'quit', bindings: [typed('q'), {input: 'c', ctrl: true, label: 'Ctrl-C'}], description: 'Quit the dashboard', hint: 'quit', pinned: true},
	{command: 'evidence', context: 'detail', bindings: [typed('e')], description: "The evidence kept at the job's newest stop; again, at the next older (Esc: back to the job)"},
	{command: 'filterKeep', context: 'filter', bindings: [named('return', 'Enter')], description: 'Keep the filter and go back to the table', hint: 'keeps'},
	{command: 'filterClear', context: 'filter', bindings: [named('escape', 'Esc')], description: 'Clear the filter and go back to the table', hint: 'clears'},
	{command: 'filterErase', context: 'filter', bindings: [named('backspace', 'Backspace'), named('delete', 'Del')], description: 'Erase the last character of the filter'},
	{command: 'confirmYes', context: 'confirm', bindings: [typed('y')], description: 'Yes: carry out the action', hint: 'yes'},
	{command: 'confirmNo', context: 'confirm', bindings: [typed('n'), named('escape', 'Esc'), named('return', 'Enter')], description: 'No (the default): leave the job as it is', hint: 'no (the default)'},
];

/** The keymap's entries for one context. */
export function keysOf(context: KeyContext): readonly KeymapEntry[] {
	return keymap.filter(entry => (entry.context ?? 'main') === context);
}

function matches(binding: Binding, input: string, key: Key): boolean {
	if ('key' in binding) return key[binding.key];
	if (binding.ctrl) return key.ctrl && input === binding.input;
	return !key.ctrl && input === binding.input;
}

/** The command a keypress asks for in `context`, if any. */
export function commandFor(input: string, key: Key, context: KeyContext = 'main'): Command | undefined {
	return keysOf(context).find(entry => entry.bindings.some(binding => matches(binding, input, key)))?.command;
}

/** A dialog's key hints as one line, from the keymap: `Enter keeps, Esc clears`. */
export function dialogHints(context: Exclude<KeyContext, 'main'>, separator = ', '): string {
	return keysOf(context)
		.filter(entry => entry.hint)
		.map(entry => `${keysLabel(entry, ', ')}: ${entry.hint!}`)
		.join(separator);
}

/** The keys of an entry as the operator reads them: `Up/k`. */
export function keysLabel(entry: KeymapEntry, separator = '/'): string {
	return entry.bindings.map(binding => binding.label).join(separator);
}

/** The commands the fleet view has no use for (each host's sentinel decides its own auto). */
export const notInFleet: readonly Command[] = ['auto'];

/**
 * The footer, in keymap order: entries with a hint, each under its plain keys (`x terminate`),
 * but the commands in `leaveOut`.
 */
export function footerHints(leaveOut: readonly Command[] = []): Array<{keys: string[]; hint: string; pinned: boolean}> {
	return keysOf('main').flatMap(entry => {
		if (!entry.hint || leaveOut.includes(entry.command)) return [];
		const plain = entry.bindings.filter(binding => 'input' in binding && !binding.ctrl);
		const shown = plain.length > 0 ? plain : entry.bindings.slice(0, 1);
		return [{keys: shown.map(binding => binding.label), hint: entry.hint, pinned: entry.pinned ?? false}];
	});
}

/** The keys table as Markdown, for the readme (a test checks the readme embeds exactly this). */
export function keymapMarkdown(): string {
	const where = {main: '', detail: 'In the detail view: ', filter: 'In the filter: ', confirm: 'In a confirmation: '};
	const rows = keymap.map(entry => {
		const keys = entry.bindings.map(binding => `\`${binding.label}\``).join(', ');
		return `| ${keys} | ${where[entry.context ?? 'main']}${entry.description.replaceAll('|', '\\|')} |`;
	});
	return ['| Keys | Does |', '|---|---|', ...rows].join('\n');
}
