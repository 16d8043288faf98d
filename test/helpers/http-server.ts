import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {onTestFinished} from 'vitest';

/**
 * A local HTTP server on a free loopback port answering with `handler`; closed when the test ends,
 * connections left hanging by a handler that never answers included. Its base URL.
 */
export async function serveHttp(handler: http.RequestListener): Promise<string> {
	const server = http.createServer(handler);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(() => {
		server.closeAllConnections();
		return new Promise<void>(resolve => server.close(() => resolve()));
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
