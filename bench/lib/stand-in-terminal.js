// A terminal for the frame-cost children: a 120x40 stdout that keeps only when each write
// happened, and a raw-mode stdin nobody types on, so the real runDashboard draws to it.
import {performance} from 'node:perf_hooks';
import {PassThrough, Writable} from 'node:stream';

/** A terminal of 120x40 that keeps only when each write happened. */
export class Terminal extends Writable {
	isTTY = true;
	columns = 120;
	rows = 40;
	writes = [];
	_write(chunk, _encoding, done) {
		this.writes.push(performance.now());
		done();
	}
}

/** stdin, stdout and stderr for runDashboard. */
export function standInTerminal() {
	const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
	return {stdin, stdout: new Terminal(), stderr: new Terminal()};
}

/** Writes less than this apart are one frame (begin-synchronized-update, the frame, end). */
const burstGapMs = 2;

/** When the first frame written in [from, until) ended (its burst's last write), or undefined. */
export function frameEnd(writes, from, until) {
	const inside = writes.filter(at => at >= from && at < until);
	let last = inside[0];
	for (const at of inside.slice(1)) {
		if (at - last > burstGapMs) break;
		last = at;
	}
	return last;
}
