import type {RunnerPort} from './act/runner-port.js';
import type {Engine} from './engine.js';

/** What the intervention runner may ask of the engine: its port, and nothing more. */
export function runnerPortOf(engine: Engine): RunnerPort {
	return {
		config: engine.config,
		now: () => engine.clock.now(),
		report: (message, job) => engine.report(message, job),
		job: dir => engine.registry.states.get(dir),
		reread: dir => void engine.registry.reload(dir),
		reassess: state => engine.reassess(state),
		intervened: event => engine.emit('intervention', event),
		changed: () => engine.publishSoon(),
	};
}
