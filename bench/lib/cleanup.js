// Everything a benchmark starts (process groups, tmux servers, temp dirs) is registered here and
// undone on the way out: normal end, a thrown error, Ctrl-C or SIGTERM. Undo steps are
// synchronous so they also run from the process's 'exit' event.

/** @type {Array<{name: string, undo: () => void}>} */
const steps = [];
let installed = false;

/** Run every registered undo step, newest first, each once; failures are reported, not thrown. */
export function cleanupAll() {
	while (steps.length > 0) {
		const step = steps.pop();
		try {
			step.undo();
		} catch (error) {
			process.stderr.write(`bench cleanup (${step.name}): ${error.message}\n`);
		}
	}
}

function install() {
	if (installed) return;
	installed = true;
	process.on('exit', cleanupAll);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			cleanupAll();
			process.exit(130);
		});
	}
}

/**
 * Register `undo`, to run once when the benchmark ends however it ends. Returns a function that
 * runs it now (and unregisters it).
 */
export function onCleanup(name, undo) {
	install();
	const step = {name, undo};
	steps.push(step);
	return () => {
		const index = steps.indexOf(step);
		if (index === -1) return;
		steps.splice(index, 1);
		undo();
	};
}

/** SIGKILL a process group we started; a group already gone is fine. */
export function killGroup(pgid) {
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

/** SIGKILL one process we started; one already gone is fine. */
export function killPid(pid, signal = 'SIGKILL') {
	try {
		process.kill(pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}
