/** Samples kept per job for sparklines and the busy-hang signal. */
export const historyLength = 60;
export function newJobState(record) {
    return {
        record,
        manifestSignature: '',
        brokenSince: null,
        fileActivityMs: null,
        activityFloorMs: 0,
        firstSeenPid: null,
        futureStamp: null,
        ownWriteMtimeMs: undefined,
        lastActivityMs: null,
        sample: null,
        cpuHistory: [],
        cpuSpark: [],
        rssSpark: [],
        assessment: null,
        reportedSeverity: null,
        episode: null,
    };
}
