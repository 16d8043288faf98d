const severityStyles = {
    ok: { color: 'green' },
    low: { color: 'cyan' },
    medium: { color: 'yellow' },
    high: { color: 'red', bold: true },
    critical: { color: 'red', bold: true, inverse: true },
    invalid: { color: 'magenta' },
};
/**
 * Whether to colour at all. Ink's chalk reads FORCE_COLOR but not NO_COLOR (https://no-color.org),
 * so the screen drops its colour props itself; FORCE_COLOR wins, as in Node's own tty.hasColors.
 */
export function colorWanted(env = process.env) {
    const force = env['FORCE_COLOR'];
    if (force !== undefined && force !== '' && force !== '0' && force !== 'false')
        return true;
    return !env['NO_COLOR'];
}
/** The style of a severity label; bold and inverse stay without colour so critical still stands out. */
export function severityStyle(label, color) {
    return withoutColor(severityStyles[label], color);
}
/** A style with its colour removed when colour is off. */
export function withoutColor(style, color) {
    if (color || style.color === undefined)
        return style;
    const { color: _dropped, ...rest } = style;
    return rest;
}
