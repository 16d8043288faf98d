import { severities } from '../types.js';
/** SPEC section 5: low none, medium notify, high recover, critical terminate. */
export const defaultLadder = { low: null, medium: 'notify', high: 'recover', critical: 'terminate' };
/** Automatic recoveries of one job within an hour past which a recover becomes a terminate. */
export const recoveriesBeforeTerminate = 3;
function tiersUpTo(tier) {
    return severities.slice(1, severities.indexOf(tier) + 1);
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
export function decide(input) {
    const { severity, previous, now } = input;
    if (severity === 'ok')
        return { episode: null, actions: [] };
    const episode = previous
        ? { startedAt: previous.startedAt, tiersDone: [...previous.tiersDone], tiersLimited: [...previous.tiersLimited] }
        : { startedAt: now, tiersDone: [], tiersLimited: [] };
    if (input.paused || !input.auto || episode.tiersDone.includes(severity))
        return { episode, actions: [] };
    const below = tiersUpTo(severity).filter(tier => tier !== severity);
    const settled = (actions) => ({
        episode: {
            startedAt: episode.startedAt,
            tiersDone: [...new Set([...episode.tiersDone, ...below, severity])],
            tiersLimited: episode.tiersLimited.filter(tier => tier !== severity),
        },
        actions,
    });
    let action = (input.ladder ?? defaultLadder)[severity];
    if (action === null)
        return settled([]);
    let reason = `reached ${severity}`;
    if (action === 'recover' && input.recoveriesLastHour >= recoveriesBeforeTerminate) {
        action = 'terminate';
        reason = `reached ${severity} after ${input.recoveriesLastHour} automatic recoveries within the hour: terminate instead`;
    }
    if (action === 'notify' || input.interventionsLastHour < input.maxInterventions)
        return settled([{ action, tier: severity, reason }]);
    // Held back by the limit: the tier stays open for a later tick, and the operator hears of it once.
    if (episode.tiersLimited.includes(severity))
        return { episode, actions: [] };
    const skipped = `limit: ${input.interventionsLastHour} automatic interventions in the last hour (max ${input.maxInterventions})`;
    return {
        episode: {
            startedAt: episode.startedAt,
            tiersDone: [...new Set([...episode.tiersDone, ...below])],
            tiersLimited: [...episode.tiersLimited, severity],
        },
        actions: [
            { action, tier: severity, reason, skipped },
            { action: 'notify', tier: severity, reason: `${action} skipped, ${skipped}` },
        ],
    };
}
