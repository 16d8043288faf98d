// A process tree that shrugs off SIGTERM: itself and its children (argv[2], default 5) ignore it,
// so only the sentinel's SIGKILL after the grace period ends them. Silent after its first line.
import {spawn} from 'node:child_process';
import {lifetimeMs, endAfterLifetime, numberArgument} from './lifetime.js';

const childCount = numberArgument(2, 5);
const childScript = `process.on('SIGTERM', () => {}); setInterval(() => {}, 60000); setTimeout(() => process.exit(0), ${lifetimeMs}).unref();`;

process.on('SIGTERM', () => {});
for (let index = 0; index < childCount; index++) {
	spawn(process.execPath, ['-e', childScript], {stdio: 'ignore'});
}
console.log(`started ${childCount} helpers; none of us will stop on SIGTERM`);
setInterval(() => {}, 60_000);
endAfterLifetime();
