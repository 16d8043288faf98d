import type {Config} from '../config/load-config.js';
import {formatMetricsAddress} from '../metrics/metrics-address.js';
import type {Engine} from '../sentinel/engine.js';

/** `--metrics`, bound and waiting for its engine. */
export type BoundMetrics = {
	/** Where it listens, as `HOST:PORT` (the port the kernel chose, when 0 was asked for). */
	address: string;
	/** Answer scrapes from this engine's snapshots and events; before its first tick. */
	attach: (engine: Engine, version: string) => void;
	close: () => Promise<void>;
};

/**
 * Bind `--metrics` (headless and the dashboard) before the engine starts: a port in use or a bad
 * address ends the command with `fail`'s one-line error (exit 2) before anything has begun.
 * prom-client is loaded only here, meanwhile: without `--metrics` it costs nothing.
 */
export async function bindMetrics(config: Config, fail: (message: string, code: number) => never): Promise<BoundMetrics | null> {
	if (!config.metrics) return null;
	const [{listenMetrics, MetricsBindError}, {sentinelExposition}] = await Promise.all([import('../metrics/metrics-server.js'), import('../metrics/sentinel-exposition.js')]);
	let server;
	try {
		server = await listenMetrics(config.metrics);
	} catch (error) {
		if (error instanceof MetricsBindError) fail(error.message, 2);
		throw error;
	}
	return {
		address: formatMetricsAddress(server.address),
		attach: (engine, version) => server.serve(sentinelExposition(engine, version)),
		close: server.close,
	};
}
