import stringWidth from 'string-width';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Terminal columns a string takes (wide characters count two). */
export function widthOf(text) {
    return stringWidth(text);
}
/** The longest prefix of `text` that fits in `cells` columns, never splitting a character. */
export function takeColumns(text, cells) {
    let kept = '';
    let used = 0;
    for (const { segment } of graphemes.segment(text)) {
        const width = stringWidth(segment);
        if (used + width > cells)
            break;
        kept += segment;
        used += width;
    }
    return kept;
}
/** Cut `text` to at most `width` columns, ending with `ellipsis` when cut. Never wraps, never overflows. */
export function truncate(text, width, ellipsis) {
    if (width <= 0)
        return '';
    if (stringWidth(text) <= width)
        return text;
    const room = width - stringWidth(ellipsis);
    if (room < 0)
        return takeColumns(ellipsis, width);
    return takeColumns(text, room) + ellipsis;
}
/** `text` cut and padded to exactly `width` columns. */
export function fitTo(text, width, ellipsis, align = 'left') {
    const cut = truncate(text, width, ellipsis);
    const fill = ' '.repeat(Math.max(0, width - stringWidth(cut)));
    return align === 'left' ? cut + fill : fill + cut;
}
