import {thisSentinel} from './audit-log.js';
import {LeaderLock} from './leader-lock.js';
import {sentinelFolderProblem} from './sentinel-folder.js';
import type {ActorState} from '../snapshot.js';

/**
 * This instance's part in the leader election (SPEC section 5): it competes while it wants to act,
 * checks each tick that its lock is still the file at the path, and says once, each time it
 * changes, why it cannot take part.
 */
export class Leadership {
	private problem: string | null = null;
	private readonly lock: LeaderLock;

	constructor(
		private readonly jobsDir: string,
		private readonly report: (message: string) => void,
	) {
		this.lock = new LeaderLock(jobsDir);
	}

	get acting(): boolean {
		return this.lock.held;
	}

	/** Compete (or let go) for this tick; resolves true when the lead was just taken. */
	async update(wanted: boolean): Promise<boolean> {
		let taken = false;
		if (wanted) {
			// A jobs directory deleted and made again holds a new lock file: the old flock leads nothing.
			if (this.lock.held && !this.lock.stillHeld()) this.report(`${this.lock.lockFile} is no longer the lock this sentinel holds (the jobs directory made again?): stopped acting, competing again`);
			if (!this.lock.held) taken = await this.lock.tryAcquire();
		} else if (this.lock.held) {
			this.lock.release();
		}
		this.sayProblem(wanted ? this.lock.problem : sentinelFolderProblem(this.jobsDir));
		return taken;
	}

	/** Let go at once (auto turned off, or the sentinel stopping). */
	release(): void {
		if (this.lock.held) this.lock.release();
	}

	actor(): ActorState {
		return {acting: this.acting, leader: this.acting ? thisSentinel : this.lock.holder(), problem: this.problem};
	}

	private sayProblem(problem: string | null): void {
		if (problem === this.problem) return;
		this.problem = problem;
		if (problem) this.report(`cannot take part in the leader election: ${problem}; acting on nothing automatically`);
	}
}
