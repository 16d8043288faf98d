// A job that asks a question nobody will answer: it reads its standard input, a pipe the demo
// holds open and never writes (the way an unattended `apt` or `git` waits on "Continue? [y/N]").
import {endAfterLifetime, numberArgument} from './lifetime.js';

const talkSeconds = numberArgument(2, 3);
let step = 0;
const talking = setInterval(() => {
	step += 1;
	console.log(`step ${step}: upgrading packages`);
	if (step < talkSeconds) return;
	clearInterval(talking);
	process.stdout.write('Continue? [y/N] ');
	process.stdin.once('data', answer => {
		console.log(`answered ${answer.toString().trim()}`);
	});
}, 1000);
endAfterLifetime();
