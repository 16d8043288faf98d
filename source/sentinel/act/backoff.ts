/** The longest wait between tries at an action that keeps failing. */
const maxDelayMs = 5 * 60_000;

/**
 * Jobs whose action failed without doing anything, and when to try again: one interval after the
 * first failure, doubling to 5 minutes, so a lasting fault neither floods the audit log nor
 * leaves the job immune.
 */
export class Backoff {
	private readonly failures = new Map<string, {count: number; until: number}>();

	constructor(private readonly intervalMs: number) {}

	/** True while the job in `dir` waits for its next try. */
	waiting(dir: string, now: number): boolean {
		return (this.failures.get(dir)?.until ?? 0) > now;
	}

	failed(dir: string, now: number): void {
		const count = (this.failures.get(dir)?.count ?? 0) + 1;
		this.failures.set(dir, {count, until: now + Math.min(this.intervalMs * 2 ** count, maxDelayMs)});
	}

	succeeded(dir: string): void {
		this.failures.delete(dir);
	}
}
