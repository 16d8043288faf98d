// A busy hang: burns a whole core and never prints a thing after its first line.
import {lifetimeOver} from './lifetime.js';

console.log('thinking very hard');
let spins = 0;
// The event loop stays blocked, as in a real infinite loop; SIGTERM still ends it (no handler).
while (!lifetimeOver()) {
	for (let index = 0; index < 1e6; index++) spins = (spins + index) % 1_000_003;
}
process.exit(spins === -1 ? 1 : 0);
