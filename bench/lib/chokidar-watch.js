// A bare chokidar watcher on a jobs directory, with the product's options: the memory benchmark's
// yardstick for what watching 1,000 job directories costs before the sentinel adds anything.
//   node bench/lib/chokidar-watch.js <jobs-dir>
import {watch} from 'chokidar';

const watcher = watch(process.argv[2], {ignoreInitial: true, alwaysStat: true, followSymlinks: false, atomic: false, depth: 2});
let events = 0;
watcher.on('all', () => events++);
process.on('SIGTERM', () => void watcher.close().then(() => process.exit(0)));
