// A worker that talks for a few seconds (argv[2], default 5) and then goes silent, still alive:
// the classic hang the sentinel is there for.
import {endAfterLifetime, numberArgument} from './lifetime.js';

const talkSeconds = numberArgument(2, 5);
let step = 0;
const talking = setInterval(() => {
	step += 1;
	console.log(`step ${step}: working`);
	if (step >= talkSeconds) {
		clearInterval(talking);
		console.log('waiting for a reply that never comes');
	}
}, 1000);
// Keeps the process alive with nothing to say.
setInterval(() => {}, 60_000);
endAfterLifetime();
