import { createHash } from 'node:crypto';
/** Names a manifest's exact bytes, to tell whether it changed between a read and a write. */
export function contentKey(bytes) {
    return createHash('sha1').update(bytes).digest('hex');
}
