import {decide, type EpisodeState, type PolicyDecision, type PolicyInput} from './policy.js';

/**
 * Each job's episode so far (SPEC section 5), kept beside the policy that reads and writes it: the
 * runner asks for a job's decision and says what became of it, and never holds an episode itself.
 */
export class Episodes {
	private readonly kept = new Map<string, EpisodeState>();

	/** The policy's decision for one job's tick; the episode it returns is kept for the next tick. */
	decide(dir: string, input: Omit<PolicyInput, 'previous'>): PolicyDecision & {previous: EpisodeState | null} {
		const previous = this.kept.get(dir) ?? null;
		const decision = decide({...input, previous});
		this.keep(dir, decision.episode);
		return {...decision, previous};
	}

	/** The tier's action did not begin: the episode is as it was, so the tier is planned again. */
	restore(dir: string, previous: EpisodeState | null): void {
		this.keep(dir, previous);
	}

	/** The job is quiet, left the monitored statuses, or was recovered: its episode ends. */
	end(dir: string): void {
		this.kept.delete(dir);
	}

	/** Forget the jobs that are gone (looked for only when more episodes are kept than jobs known). */
	keepOnly(jobs: ReadonlyArray<{record: {dir: string}}>): void {
		if (this.kept.size <= jobs.length) return;
		const known = new Set(jobs.map(job => job.record.dir));
		for (const dir of this.kept.keys()) if (!known.has(dir)) this.kept.delete(dir);
	}

	private keep(dir: string, episode: EpisodeState | null): void {
		if (episode) this.kept.set(dir, episode);
		else this.kept.delete(dir);
	}
}
