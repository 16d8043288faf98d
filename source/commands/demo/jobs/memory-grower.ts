// A leak: grows its resident memory steadily (argv[3] MB a second, default 20) up to a cap
// (argv[2] MB, default 400), then holds it, silent all along.
import {endAfterLifetime, numberArgument} from './lifetime.js';

const capMb = numberArgument(2, 400);
const mbPerSecond = numberArgument(3, 20);
const stepsPerSecond = 4;
const pageSize = 4096;
const held: Buffer[] = [];
let grownMb = 0;

console.log(`caching everything (up to ${capMb} MB)`);
const growing = setInterval(() => {
	const stepMb = Math.min(mbPerSecond / stepsPerSecond, capMb - grownMb);
	if (stepMb <= 0) {
		clearInterval(growing);
		return;
	}
	const chunk = Buffer.allocUnsafe(Math.round(stepMb * 2 ** 20));
	// Untouched pages are not resident: write one byte a page so RSS really grows.
	for (let offset = 0; offset < chunk.length; offset += pageSize) chunk[offset] = 1;
	held.push(chunk);
	grownMb += stepMb;
}, 1000 / stepsPerSecond);
setInterval(() => {}, 60_000);
endAfterLifetime();
