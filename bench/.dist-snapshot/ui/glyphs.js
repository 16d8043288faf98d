const unicode = {
    ellipsis: '…',
    selected: '›',
    paused: '‖',
    separator: ' · ',
    spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
    border: 'round',
    branch: '└ ',
    sortMark: '▾',
};
const ascii = {
    ellipsis: '...',
    selected: '>',
    paused: 'P',
    separator: ' | ',
    spark: ['_', '.', '-', '=', '#'],
    border: 'classic',
    branch: '`-',
    sortMark: '*',
};
/** The glyph set for `--ascii` (true) or a UTF-8 terminal (false). */
export function glyphsFor(asciiOnly) {
    return asciiOnly ? ascii : unicode;
}
