// A worker that does its job: one line of output every second, for as long as it lives.
import {endAfterLifetime} from './lifetime.js';

let item = 0;
setInterval(() => {
	item += 1;
	console.log(`processed item ${item}`);
}, 1000);
endAfterLifetime();
