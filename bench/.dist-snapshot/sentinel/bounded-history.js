/** Append to a history kept at most `limit` long, oldest first; returns a new array. */
export function pushBounded(history, value, limit) {
    const next = history.length >= limit ? history.slice(history.length - limit + 1) : [...history];
    next.push(value);
    return next;
}
