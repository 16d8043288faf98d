// A job waiting on the network: it asks a local server (the demo's, argv[2] is its port) for a
// reply the server never sends, as a job stuck on an unresponsive API does.
import net from 'node:net';
import {endAfterLifetime, numberArgument} from './lifetime.js';

const port = numberArgument(2, 0);
console.log(`asking 127.0.0.1:${port} for the build status`);
const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n'));
socket.on('data', data => console.log(`got ${data.length} bytes`));
// The demo ending closes the server: the job then has nothing left to wait for.
socket.on('close', () => process.exit(0));
socket.on('error', error => {
	console.log(`cannot reach the server: ${error.message}`);
	process.exit(1);
});
endAfterLifetime();
