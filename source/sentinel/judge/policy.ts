import {severities, type ActionName, type Severity} from '../../types.js';

/** A severity that can hold an action: every one but `ok`. */
export type Tier = Exclude<Severity, 'ok'>;

/** What each tier does; null: nothing. */
export type Ladder = Record<Tier, ActionName | null>;

/** SPEC section 5: low none, medium notify, high recover, critical terminate. */
export const defaultLadder: Ladder = {low: null, medium: 'notify', high: 'recover', critical: 'terminate'};

/** One job's episode: the span during which its severity stays above `ok`. */
export type EpisodeState = {
	/** When the episode began (epoch ms). */
	startedAt: number;
	/** Tiers settled in this episode: their action ran, or they were passed on the way up. */
	tiersDone: Tier[];
	/** Tiers whose action the hourly limit held back; their limit notify was already sent. */
	tiersLimited: Tier[];
};

/** One action for the engine to carry out and audit, with actor `auto`. */
export type PlannedAction = {
	action: ActionName;
	/** The tier that called for it. */
	tier: Tier;
	/** One line for the audit entry's `reason`. */
	reason: string;
	/** Set when the hourly limit held the action back: audit it with result `skipped`; begins with `limit`. */
	skipped?: string;
};

export type PolicyInput = {
	/** This tick's assessed severity (already `ok` outside the monitored statuses). */
	severity: Severity;
	/** The job's episode so far; null when there is none (the engine passes null after a recovery). */
	previous: EpisodeState | null;
	now: number;
	/** Paused by the operator: assessed, never acted on. */
	paused: boolean;
	/** False with --no-auto, auto turned off on the dashboard, or when another sentinel acts. */
	auto: boolean;
	/** This job's automatic recoveries in the last hour (manual ones excluded). */
	recoveriesLastHour: number;
	/** Automatic recover/terminate actions in the last hour, across the jobs directory. */
	interventionsLastHour: number;
	maxInterventions: number;
	ladder?: Ladder;
};

export type PolicyDecision = {
	/** The episode to keep for the next tick; null once severity is back to `ok`. */
	episode: EpisodeState | null;
	/** In order; empty most ticks. */
	actions: PlannedAction[];
};

/** Automatic recoveries of one job within an hour past which a recover becomes a terminate. */
export const recoveriesBeforeTerminate = 3;

function tiersUpTo(tier: Tier): Tier[] {
	return severities.slice(1, severities.indexOf(tier) + 1) as Tier[];
}

/**
 * The escalation ladder as a pure function of one tick (SPEC section 5).
 *
 * Reaching a tier runs its action once per episode and settles every tier below it, so tiers
 * jumped over are not run and a severity that falls back within the episode runs nothing new:
 * actions only ever escalate. Paused or with automatic action off, the episode is still tracked
 * but nothing is planned or settled, so the tier's action runs once action is allowed again. A
 * recover or terminate past the hourly limit is planned as skipped with a notify in its place,
 * once per tier per episode; the tier stays unsettled so it runs when the limit allows.
 */
export function decide(input: PolicyInput): PolicyDecision {
	const {severity, previous, now} = input;
	if (severity === 'ok') return {episode: null, actions: []};
	const episode: EpisodeState = previous
		? {startedAt: previous.startedAt, tiersDone: [...previous.tiersDone], tiersLimited: [...previous.tiersLimited]}
		: {startedAt: now, tiersDone: [], tiersLimited: []};
	if (input.paused || !input.auto || episode.tiersDone.includes(severity)) return {episode, actions: []};

	const below = tiersUpTo(severity).filter(tier => tier !== severity);
	const settled = (actions: PlannedAction[]): PolicyDecision => ({
		episode: {
			startedAt: episode.startedAt,
			tiersDone: [...new Set([...episode.tiersDone, ...below, severity])],
			tiersLimited: episode.tiersLimited.filter(tier => tier !== severity),
		},
		actions,
	});

	let action = (input.ladder ?? defaultLadder)[severity];
	if (action === null) return settled([]);
	let reason = `reached ${severity}`;
	if (action === 'recover' && input.recoveriesLastHour >= recoveriesBeforeTerminate) {
		action = 'terminate';
		reason = `reached ${severity} after ${input.recoveriesLastHour} automatic recoveries within the hour: terminate instead`;
	}
	if (action === 'notify' || input.interventionsLastHour < input.maxInterventions) return settled([{action, tier: severity, reason}]);

	// Held back by the limit: the tier stays open for a later tick, and the operator hears of it once.
	if (episode.tiersLimited.includes(severity)) return {episode, actions: []};
	const skipped = `limit: ${input.interventionsLastHour} automatic interventions in the last hour (max ${input.maxInterventions})`;
	return {
		episode: {
			startedAt: episode.startedAt,
			tiersDone: [...new Set([...episode.tiersDone, ...below])],
			tiersLimited: [...episode.tiersLimited, severity],
		},
		actions: [
			{action, tier: severity, reason, skipped},
			{action: 'notify', tier: severity, reason: `${action} skipped, ${skipped}`},
		],
	};
}
