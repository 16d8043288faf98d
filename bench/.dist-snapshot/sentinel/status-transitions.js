/** Where `recover` sends each monitored status (SPEC section 5); anything else needs a person. */
const recoverTo = {
    RUNNING: 'PENDING',
    EXECUTING: 'PENDING',
    PROVISIONING: 'PENDING',
    HARVESTING: 'PENDING',
    REVIEWING: 'REVIEW_REQUIRED',
    RECOVERING: 'INTERVENTION_REQUIRED',
};
/** The status after the action: recover per the table, terminate always INTERVENTION_REQUIRED. */
export function statusAfter(action, status) {
    if (action === 'terminate')
        return 'INTERVENTION_REQUIRED';
    return recoverTo[status.toUpperCase()] ?? 'INTERVENTION_REQUIRED';
}
/**
 * The manifest after the action's status change: new status, and a history entry
 * `SENTINEL_RECOVERY` or `SENTINEL_INTERVENTION`; every other field kept as it was.
 */
export function withStatusChange(manifest, facts) {
    const previousStatus = typeof manifest['status'] === 'string' ? manifest['status'] : 'UNKNOWN';
    const newStatus = statusAfter(facts.action, previousStatus);
    const history = Array.isArray(manifest['history']) ? manifest['history'] : [];
    return {
        ...manifest,
        status: newStatus,
        history: [
            ...history,
            {
                event: facts.action === 'recover' ? 'SENTINEL_RECOVERY' : 'SENTINEL_INTERVENTION',
                timestamp: new Date(facts.now).toISOString(),
                severity: facts.severity,
                previous_status: previousStatus,
                new_status: newStatus,
                reason: facts.reason,
                action_id: facts.actionId,
            },
        ],
    };
}
/** Whether the manifest already carries this action's history entry (a crashed action's write landed). */
export function hasActionEntry(manifest, actionId) {
    const history = Array.isArray(manifest['history']) ? manifest['history'] : [];
    return history.some(entry => typeof entry === 'object' && entry !== null && entry['action_id'] === actionId);
}
