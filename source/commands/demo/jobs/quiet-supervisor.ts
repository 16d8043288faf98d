// A supervisor that reviews briefly (argv[2] seconds, default 3) and then never reports back.
import {endAfterLifetime, numberArgument} from './lifetime.js';

const talkSeconds = numberArgument(2, 3);
console.log('reviewing the worker\'s changes');
setTimeout(() => console.log('asking the model for a verdict'), Math.max(0, talkSeconds - 1) * 1000);
setInterval(() => {}, 60_000);
endAfterLifetime();
