import type {Config} from '../config/load-config.js';
import {Engine} from '../sentinel/engine.js';
import {createInterventions} from '../sentinel/act/intervention-runner.js';
import {collectGarbageEvery} from '../runtime/collect-garbage.js';

/**
 * The engine as the dashboard, headless and demo modes run it: watching, and able to act. These
 * run for hours: their heap is collected every 20 s, to keep their memory flat
 * (runtime/collect-garbage.ts).
 */
export function startEngine(config: Config): Engine {
	collectGarbageEvery(20_000);
	return new Engine(config, {interventions: engine => createInterventions(engine)});
}
