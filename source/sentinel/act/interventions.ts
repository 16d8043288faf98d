import type {ActionName, AuditEntry} from '../../types.js';
import type {JobState} from '../job-state.js';
import type {ActorState, ManualTarget} from '../snapshot.js';

/** The part of the sentinel that acts: the engine calls it after each tick and for manual actions. */
export type Interventions = {
	afterTick: (states: JobState[], now: number) => Promise<void>;
	manual: (action: Exclude<ActionName, 'notify'>, target: ManualTarget) => Promise<AuditEntry>;
	setAuto: (on: boolean) => void;
	setPaused: (jobId: string, paused: boolean) => void;
	isPaused: (jobId: string) => boolean;
	readonly auto: boolean;
	actor: () => ActorState;
	interventionsLastHour: (now: number) => number;
	/** Newest last. */
	recentAudit: () => AuditEntry[];
	/** Finish stops in their grace period and their writes. */
	stop: () => Promise<void>;
};
