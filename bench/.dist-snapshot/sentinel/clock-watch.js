import { performance } from 'node:perf_hooks';
export const systemClock = { now: () => Date.now(), monotonic: () => performance.now() };
/**
 * Notices when the wall clock moves against the monotonic clock (suspend and resume, a clock
 * step). Silence measured across such a jump means nothing, so the engine restarts it.
 */
export class ClockWatch {
    clock;
    toleranceMs;
    last = null;
    constructor(clock, toleranceMs) {
        this.clock = clock;
        this.toleranceMs = toleranceMs;
    }
    /** The size of the jump since the previous check in ms (positive: wall moved ahead), or 0. */
    check() {
        const wall = this.clock.now();
        const mono = this.clock.monotonic();
        const previous = this.last;
        this.last = { wall, mono };
        if (!previous)
            return 0;
        const drift = wall - previous.wall - (mono - previous.mono);
        return Math.abs(drift) > this.toleranceMs ? drift : 0;
    }
}
