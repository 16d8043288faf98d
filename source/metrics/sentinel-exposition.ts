import os from 'node:os';
import {collectDefaultMetrics, Registry} from 'prom-client';
import type {Engine} from '../sentinel/engine.js';
import {JobMetrics} from './job-metrics.js';
import type {Scrape} from './metrics-server.js';
import {SentinelMetrics} from './sentinel-metrics.js';

/**
 * The engine's metrics in the Prometheus text format (SPEC section 14), with prom-client's
 * default process metrics. Counters and the tick histogram follow the engine's events; the
 * gauges are set from the engine's latest snapshot at each scrape (made then if nobody else
 * asked for it since the last publish), so a scrape never waits on a tick, nor a tick on a scrape.
 */
export function sentinelExposition(engine: Engine, version: string): Scrape {
	const registry = new Registry();
	// 10 wake-ups a second to time the event loop's lag, not prom-client's 100: a sentinel
	// otherwise sleeps between ticks.
	collectDefaultMetrics({register: registry, eventLoopMonitoringPrecision: 100});
	const jobs = new JobMetrics(registry);
	const sentinel = new SentinelMetrics(registry, {version, host: os.hostname(), jobsDir: engine.config.jobsDir});
	engine.on('intervention', ({entry}) => sentinel.intervened(entry));
	engine.on('tick', durationMs => sentinel.ticked(durationMs / 1000));
	return async () => {
		const snapshot = engine.getSnapshot();
		jobs.update(snapshot);
		sentinel.update(snapshot);
		return {text: await registry.metrics(), contentType: registry.contentType};
	};
}
