import { useEffect, useState } from 'react';
import { readOutputTail } from './output-tail.js';
function same(a, b) {
    if (a === null || a.dir !== b.dir)
        return false;
    if ('missing' in a.tail || 'missing' in b.tail)
        return 'missing' in a.tail && 'missing' in b.tail && a.tail.missing === b.tail.missing;
    const before = a.tail.lines;
    const after = b.tail.lines;
    return before.length === after.length && before.every((line, index) => line === after[index]);
}
/**
 * The tail of a job's output log, read again whenever `refresh` changes (each snapshot);
 * null while the first read of this job runs, or when no job is open. An unchanged tail
 * causes no new frame.
 */
export function useOutputTail(dir, refresh) {
    const [read, setRead] = useState(null);
    useEffect(() => {
        if (dir === null)
            return;
        let current = true;
        const keep = (tail) => {
            if (current)
                setRead(previous => (same(previous, { dir, tail }) ? previous : { dir, tail }));
        };
        readOutputTail(dir).then(keep, (error) => {
            keep({ missing: `output log unreadable: ${error instanceof Error ? error.message : String(error)}` });
        });
        return () => {
            current = false;
        };
    }, [dir, refresh]);
    return read !== null && read.dir === dir ? read.tail : null;
}
