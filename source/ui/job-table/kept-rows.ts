import type {JobView} from '../../sentinel/snapshot.js';
import type {Segment} from '../Line.js';
import {readsClock, rowSegments, type RowContext} from './row.js';

type KeptRow = RowContext & {segments: Segment[]};

// Views are never changed once made, and a view the engine kept (the fleet's, while its values
// stay) comes back frame after frame: its row is worked out once for the columns, the selection
// and the characters it was drawn with.
const keptRows = new WeakMap<JobView, KeptRow>();

/** The job's row as {@link rowSegments} makes it, the same segments again while nothing it shows changed. */
export function keptRowSegments(view: JobView, context: RowContext): Segment[] {
	const kept = keptRows.get(view);
	const same =
		kept !== undefined &&
		kept.widths === context.widths &&
		kept.selected === context.selected &&
		kept.glyphs === context.glyphs &&
		kept.color === context.color &&
		(kept.now === context.now || !readsClock(view));
	if (same) return kept.segments;
	const segments = rowSegments(view, context);
	keptRows.set(view, {...context, segments});
	return segments;
}
