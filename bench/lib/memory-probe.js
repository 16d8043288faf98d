// Preloaded into a sentinel by `memory.js --probe` (node --import): every 2 s appends one JSON
// line to $BENCH_MEMORY_PROBE with process.memoryUsage() and the number of user-timing entries
// (marks and measures) held in the performance timeline, to tell a JS-heap leak from the rest.
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';

const file = process.env.BENCH_MEMORY_PROBE;
if (file) {
	const timer = setInterval(() => {
		const usage = process.memoryUsage();
		const timing = performance.getEntriesByType('mark').length + performance.getEntriesByType('measure').length;
		fs.appendFileSync(file, `${JSON.stringify({pid: process.pid, at: Date.now(), ...usage, timing})}\n`);
	}, 2000);
	timer.unref();
}
