function jobView(state, interventions) {
    const job = state.record;
    return {
        job,
        sample: state.sample,
        assessment: state.assessment,
        severity: state.assessment?.severity ?? 'ok',
        lastActivityMs: job.valid ? state.lastActivityMs : null,
        cpuHistory: state.cpuSpark,
        rssHistory: state.rssSpark,
        paused: interventions?.isPaused(job.jobId) ?? false,
        startedMs: state.sample?.processes.find(process => process.pid === state.sample?.rootPid)?.startTimeMs ?? null,
    };
}
/** The immutable picture of the world after a tick. */
export function makeSnapshot(input) {
    const { config, interventions } = input;
    return {
        generatedAt: input.now,
        tick: input.tick,
        jobsDir: config.jobsDir,
        jobsDirExists: input.jobsDirExists,
        jobs: [...input.states.values()].map(state => jobView(state, interventions)),
        auto: interventions?.auto ?? false,
        dryRun: config.dryRun,
        actor: interventions?.actor() ?? { acting: false, leader: null },
        interventionsLastHour: interventions?.interventionsLastHour(input.now) ?? 0,
        maxInterventions: config.maxInterventions,
        recentAudit: interventions?.recentAudit() ?? [],
        watchMode: input.watchMode,
        notices: input.notices,
    };
}
