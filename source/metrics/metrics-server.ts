import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {formatMetricsAddress, type MetricsAddress} from './metrics-address.js';

/** The exposition: its text and content type, made at each scrape. */
export type Scrape = () => Promise<{text: string; contentType: string}>;

/** A bound `/metrics` listener. */
export type MetricsServer = {
	/** Where it listens (the port the kernel chose, when 0 was asked for). */
	readonly address: MetricsAddress;
	/** Answer scrapes with this from now on; until then they get 503. */
	serve: (scrape: Scrape) => void;
	/** Stop listening and drop every connection. */
	close: () => Promise<void>;
};

/** A bind that failed: its message is the rest of a one-line error. */
export class MetricsBindError extends Error {
	override name = 'MetricsBindError';
}

// Bounds for scrapers that misbehave: a scraper that connects and never reads, or opens hundreds
// of connections, holds at most this many sockets, each dropped after a few seconds of nothing.
// Prometheus itself keeps one connection per target and scrapes in well under a second.
const maxConnections = 32;
const idleMs = 10_000;
const requestMs = 5_000;

function whyNot(error: NodeJS.ErrnoException): string {
	switch (error.code) {
		case 'EADDRINUSE':
			return 'the port is in use';
		case 'EACCES':
			return 'not permitted (ports below 1024 need privilege)';
		case 'EADDRNOTAVAIL':
			return 'no such address on this host';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_FAIL':
			return 'unknown host';
		default:
			return error.message;
	}
}

/**
 * Bind `--metrics` before anything else starts: a port in use or a bad address is refused here,
 * as a one-line error. Only `GET /metrics` (and HEAD) is answered; a scrape reads what the
 * engine last published and never waits for a tick.
 */
export async function listenMetrics(address: MetricsAddress): Promise<MetricsServer> {
	let scrape: Scrape | null = null;
	const server = http.createServer({requestTimeout: requestMs, headersTimeout: requestMs, keepAliveTimeout: requestMs, connectionsCheckingInterval: 1000}, (request, response) => {
		const path = (request.url ?? '').split('?')[0];
		if (path !== '/metrics') return answer(response, 404, 'not found: the metrics are at /metrics\n');
		if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'only GET\n', {Allow: 'GET, HEAD'});
		if (!scrape) return answer(response, 503, 'starting\n');
		scrape().then(
			// Node sends no body for HEAD, only its length.
			({text, contentType}) => answer(response, 200, text, {'Content-Type': contentType}),
			(error: unknown) => answer(response, 500, `could not collect the metrics: ${(error as Error)?.message ?? String(error)}\n`),
		);
	});
	server.maxConnections = maxConnections;
	server.timeout = idleMs;
	await new Promise<void>((resolve, reject) => {
		server.once('error', error => reject(new MetricsBindError(`--metrics ${formatMetricsAddress(address)}: ${whyNot(error)}`)));
		server.listen({host: address.host, port: address.port}, resolve);
	});
	// After the bind, a socket's error (a scraper that vanished) ends that socket alone.
	server.on('error', () => {});
	server.on('clientError', (_error, socket) => socket.destroy());
	const bound = server.address() as AddressInfo;
	return {
		address: {host: address.host, port: bound.port},
		serve: given => {
			scrape = given;
		},
		close: () =>
			new Promise<void>(resolve => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function answer(response: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
	if (response.destroyed) return;
	response.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8', ...headers, 'Content-Length': Buffer.byteLength(body)});
	response.end(body);
}
