// An AI agent going nowhere: it calls the same tool with the same arguments every second, each
// line with a fresh timestamp and call id. It never goes silent, yet nothing it writes is new.
import {randomUUID} from 'node:crypto';
import {endAfterLifetime, numberArgument} from './lifetime.js';

const usefulSteps = numberArgument(2, 3);
let step = 0;
setInterval(() => {
	step += 1;
	const stamp = new Date().toISOString();
	if (step <= usefulSteps) console.log(`${stamp} step ${step}: planned the change to part ${String.fromCharCode(96 + step)}`);
	else console.log(`${stamp} tool_call id=${randomUUID()} read_file {"path": "src/index.ts"}`);
}, 1000);
endAfterLifetime();
