// A job with a steady rhythm that breaks: a line every second for a while (argv[2] seconds,
// default 40), then nothing, still alive. Its own rhythm says it stopped long before its timeout.
import {endAfterLifetime, numberArgument} from './lifetime.js';

const rhythmSeconds = numberArgument(2, 40);
let beat = 0;
const beating = setInterval(() => {
	beat += 1;
	console.log(`heartbeat ${beat}: synced`);
	if (beat >= rhythmSeconds) clearInterval(beating);
}, 1000);
// Keeps the process alive with nothing to say.
setInterval(() => {}, 60_000);
endAfterLifetime();
