import type {Config} from '../config/load-config.js';
import {parseRemoteCommand} from '../fleet/remote-command.js';
import {startFleet} from '../fleet/start-fleet.js';
import {collectGarbageEvery} from '../runtime/collect-garbage.js';
import {runDashboard, type DashboardEnd} from './dashboard.js';

/** Why `fleet` cannot start with this config, in one line; null when it can. */
export function fleetConfigProblem(config: Config): string | null {
	if (config.prometheus === null) return 'fleet needs --prometheus URL: the Prometheus server that scrapes the sentinels';
	const template = parseRemoteCommand(config.remoteCommand);
	return 'problem' in template ? template.problem : null;
}

/**
 * `sentinel-tui fleet`: the dashboard (the same screen, keys and terminal handling) over every
 * sentinel Prometheus scrapes (SPEC section 14). The caller has checked the config with
 * fleetConfigProblem and that there is a terminal.
 */
export async function runFleet(config: Config, options: {ascii: boolean}): Promise<DashboardEnd> {
	// It runs for hours, as the dashboard does: the heap is collected every 20 s to keep it flat.
	collectGarbageEvery(20_000);
	const engine = startFleet({prometheus: config.prometheus!, intervalMs: config.intervalMs, remoteCommand: config.remoteCommand});
	return runDashboard(engine, {ascii: options.ascii});
}
