import { Engine } from '../sentinel/engine.js';
import { createInterventions } from '../sentinel/intervention-runner.js';
/** The engine as the dashboard, headless and demo modes run it: watching, and able to act. */
export function startEngine(config) {
    return new Engine(config, { interventions: engine => createInterventions(engine) });
}
