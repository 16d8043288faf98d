/**
 * SIGKILL to the process group `pid` leads (a command the sentinel started detached, in a group
 * of its own), if it is still there: what a command started goes with it.
 */
export function killGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}
