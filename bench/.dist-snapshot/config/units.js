import ms from 'ms';
import bytes from 'bytes';
const bareNumber = /^\s*\d+(\.\d+)?\s*$/;
/** `500ms`, `90s`, `30m`, `1h`, or bare seconds, to milliseconds; null when unreadable. */
export function parseDuration(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
    if (typeof value !== 'string' || value.trim() === '')
        return null;
    if (bareNumber.test(value))
        return Number(value) * 1000;
    // `ms` reads "1 hour" and "1.5h"; it returns undefined (typed as number) for garbage.
    const parsed = ms(value.trim());
    return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}
/** `512MB`, `2GB` or bare MB (MB means 2^20 bytes), to bytes; null when unreadable. */
export function parseSize(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) && value >= 0 ? value * 2 ** 20 : null;
    if (typeof value !== 'string' || value.trim() === '')
        return null;
    if (bareNumber.test(value))
        return Number(value) * 2 ** 20;
    // `bytes` counts KB, MB, GB in powers of 1024, as the spec does.
    const parsed = bytes.parse(value.trim());
    return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}
/** A human size for screens: `1.5GB`, `300MB`. */
export function formatSize(value) {
    return bytes.format(value, { decimalPlaces: 1, unitSeparator: '' }) ?? `${value}B`;
}
