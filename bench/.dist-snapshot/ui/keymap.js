const named = (key, label) => ({ key, label });
const typed = (input, label = input) => ({ input, label });
/** The one table of keys: it drives the key handling, the help overlay, the footer and the readme. */
export const keymap = [
    { command: 'help', bindings: [typed('?')], description: 'Show or hide this help', hint: 'help' },
    { command: 'up', bindings: [named('upArrow', 'Up'), typed('k')], description: 'Select the job above (scroll in the detail view)' },
    { command: 'down', bindings: [named('downArrow', 'Down'), typed('j')], description: 'Select the job below (scroll in the detail view)' },
    { command: 'pageUp', bindings: [named('pageUp', 'PgUp')], description: 'One page up' },
    { command: 'pageDown', bindings: [named('pageDown', 'PgDn')], description: 'One page down' },
    { command: 'top', bindings: [typed('g'), named('home', 'Home')], description: 'Go to the first job' },
    { command: 'bottom', bindings: [typed('G'), named('end', 'End')], description: 'Go to the last job' },
    { command: 'detail', bindings: [named('return', 'Enter')], description: 'Open the detail view of the selected job', hint: 'detail' },
    { command: 'back', bindings: [named('escape', 'Esc')], description: 'Back to the table; in the table, clear filter and faults' },
    { command: 'terminate', bindings: [typed('x')], description: 'Terminate the selected job (asks first)', hint: 'terminate' },
    { command: 'recover', bindings: [typed('r')], description: 'Recover the selected job (asks first)', hint: 'recover' },
    { command: 'pause', bindings: [typed('p')], description: 'Pause or resume automatic action on the selected job', hint: 'pause' },
    { command: 'auto', bindings: [typed('a')], description: 'Auto on/off for this instance; off releases the leader lock', hint: 'auto' },
    { command: 'filter', bindings: [typed('/')], description: 'Filter by id, status, description; Enter keeps, Esc clears', hint: 'filter' },
    { command: 'faults', bindings: [typed('f')], description: 'Show only jobs above ok, and invalid jobs', hint: 'faults' },
    { command: 'sort', bindings: [typed('s')], description: 'Change the order: severity, silence, id, cpu, mem', hint: 'sort' },
    { command: 'quit', bindings: [typed('q'), { input: 'c', ctrl: true, label: 'Ctrl-C' }], description: 'Quit the dashboard', hint: 'quit' },
];
function matches(binding, input, key) {
    if ('key' in binding)
        return key[binding.key];
    if (binding.ctrl)
        return key.ctrl && input === binding.input;
    return !key.ctrl && input === binding.input;
}
/** The command a keypress asks for, if any. */
export function commandFor(input, key) {
    return keymap.find(entry => entry.bindings.some(binding => matches(binding, input, key)))?.command;
}
/** The keys of an entry as the operator reads them: `Up/k`. */
export function keysLabel(entry) {
    return entry.bindings.map(binding => binding.label).join('/');
}
/** The footer, in keymap order: entries with a hint, each under its plain keys (`x terminate`). */
export function footerHints() {
    return keymap.flatMap(entry => {
        if (!entry.hint)
            return [];
        const plain = entry.bindings.filter(binding => 'input' in binding && !binding.ctrl);
        const shown = plain.length > 0 ? plain : entry.bindings.slice(0, 1);
        return [{ keys: shown.map(binding => binding.label), hint: entry.hint }];
    });
}
/** The keys table as Markdown, for the readme (a test checks the readme embeds exactly this). */
export function keymapMarkdown() {
    const rows = keymap.map(entry => {
        const keys = entry.bindings.map(binding => `\`${binding.label}\``).join(', ');
        return `| ${keys} | ${entry.description.replaceAll('|', '\\|')} |`;
    });
    return ['| Keys | Does |', '|---|---|', ...rows].join('\n');
}
