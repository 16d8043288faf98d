import prettyMs from 'pretty-ms';
/** A duration for narrow columns: `4m12s`, `2h5m`, `0s`. */
export function compactDuration(ms) {
    if (!Number.isFinite(ms) || ms < 1000)
        return '0s';
    return prettyMs(ms, { unitCount: 2, secondsDecimalDigits: 0 }).replaceAll(' ', '');
}
