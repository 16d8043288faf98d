import type {ActionName, AuditEntry} from '../../types.js';
import type {JobState} from '../job-state.js';
import type {ActorState, ManualTarget} from '../snapshot.js';

/** The part of the sentinel that acts: the engine calls it after each tick and for manual actions. */
export type Interventions = {
	afterTick: (states: JobState[], now: number) => Promise<void>;
	/** `requestedFrom` names where the operator asked (the dashboard, the command line) in the entry's reason. */
	manual: (action: Exclude<ActionName, 'notify'>, target: ManualTarget, requestedFrom?: string) => Promise<AuditEntry>;
	setAuto: (on: boolean) => void;
	/** Resolves true once state.json holds the change, false when it could not be written (said as a notice). */
	setPaused: (jobId: string, paused: boolean) => Promise<boolean>;
	isPaused: (jobId: string) => boolean;
	readonly auto: boolean;
	actor: () => ActorState;
	interventionsLastHour: (now: number) => number;
	/** Newest last. */
	recentAudit: () => AuditEntry[];
	/** Finish stops in their grace period and their writes. */
	stop: () => Promise<void>;
};
