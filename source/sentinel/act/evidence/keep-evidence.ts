import {performance} from 'node:perf_hooks';
import type {Actor, Assessment, Diagnosis, Severity, TreeSample, ValidJob} from '../../../types.js';
import {ProcTables} from '../../observe/proc-tables.js';
import {ancestorsOf, descendantsOf, scanProcesses, type ProcessTable} from '../../observe/process-table.js';
import {guardSignalTarget} from '../identity.js';
import {thisSentinel} from '../audit-entry.js';
import {runEvidenceCommand, type CommandRecord} from './evidence-command.js';
import {evidenceName, writeEvidence} from './evidence-folder.js';
import {fitRecord, redactValue, type EvidenceRecord} from './evidence-record.js';
import {outputTails} from './output-tails.js';
import {processFacts} from './process-facts.js';
import {sentinelVersion} from './sentinel-version.js';
import {sanitize} from '../../../text/sanitize.js';
import {redactText} from './redact.js';

/** What an action knows for its evidence, besides the tree snapshotted for its stop. */
export type EvidenceInput = {
	action: 'recover' | 'terminate';
	actionId: string;
	actor: Actor;
	job: ValidJob;
	severity: Severity;
	reason: string;
	assessment: Assessment | null;
	/** The last sample of the tree, for CPU percentages. */
	sample: TreeSample | null;
	/** The manifest as read under the lock before the action's write. */
	manifest: unknown;
	command: CommandRecord | null;
	now: number;
};

/** The audit entry's word on the evidence: the file, or why it could not be kept. */
export type EvidenceOutcome = {evidence_file: string} | {evidence_error: string};

/**
 * Processes of the tree read, at most (some 0.3 ms each): a tree of thousands, a fork bomb, must
 * not hold up its own stop for seconds. The rest are counted in `processes_left_out`.
 */
export const processLimit = 64;

/** The members read: the first `processLimit` (root first), the diagnosis's process among them when it is a member. */
function membersRead(members: readonly number[], stuck: number | null | undefined): number[] {
	const read = members.slice(0, processLimit);
	if (typeof stuck === 'number' && !read.includes(stuck) && members.includes(stuck)) read[read.length - 1] = stuck;
	return read;
}

/** The evidence record of an action, its tree read from /proc now (members as in the stop's snapshot). */
export function captureEvidence(input: EvidenceInput, table: ProcessTable, members: readonly number[]): EvidenceRecord {
	const started = performance.now();
	const tables = new ProcTables();
	const cpu = new Map(input.sample?.processes.map(process => [process.pid, process.cpuPercent]) ?? []);
	const read = membersRead(members, input.assessment?.diagnosis?.pid);
	const processes = read.flatMap(pid => {
		const info = table.byPid.get(pid);
		return info ? [processFacts(info, tables, cpu.get(pid) ?? null)] : [];
	});
	const {job} = input;
	return {
		format: 1,
		action: input.action,
		action_id: input.actionId,
		actor: input.actor,
		job_id: sanitize(job.jobId),
		dir: sanitize(job.dir),
		captured_at: new Date(input.now).toISOString(),
		sentinel: {version: sentinelVersion(), host: thisSentinel.host, pid: thisSentinel.pid},
		severity: input.severity,
		// The reason may quote the diagnosis, and so a command line.
		reason: redactText(sanitize(input.reason)),
		// The diagnosis names a command line, and a signal's message may quote one.
		assessment: redactValue(input.assessment) as Assessment | null,
		diagnosis: redactValue(input.assessment?.diagnosis ?? null) as Diagnosis | null,
		processes,
		...(members.length > read.length ? {processes_left_out: members.length - read.length} : {}),
		outputs: outputTails(job.dir),
		manifest: redactValue(input.manifest),
		evidence_command: input.command,
		capture_ms: Math.round((performance.now() - started) * 10) / 10,
	};
}

/** The audit entry's word when the evidence could not be kept. */
function notKept(error: unknown): EvidenceOutcome {
	return {evidence_error: `evidence not kept: ${(error as Error)?.message ?? String(error)}`};
}

/**
 * Capture and write an action's evidence (SPEC section 15) right before its first signal: what the
 * stop waits for is the capture and an unsynced write; the promise gives the audit entry's word once
 * the file is synced and in place (evidence-folder.ts). Never throws nor rejects: evidence is not
 * worth a hung job, so whatever goes wrong is said in the audit entry and the stop goes on.
 */
export function keepEvidence(input: EvidenceInput, table: ProcessTable, members: readonly number[]): Promise<EvidenceOutcome> {
	try {
		const record = captureEvidence(input, table, members);
		return writeEvidence(input.job.dir, evidenceName(input.now, input.action, input.actionId), fitRecord(record)).then(
			file => ({evidence_file: file}),
			error => notKept(error),
		);
	} catch (error) {
		return Promise.resolve(notKept(error));
	}
}

/**
 * The pid `--evidence-command` is given: the diagnosis's `stuck` process when it is in the tree of
 * `root` now, else `root` (checked as the job's just before). A diagnosis may be older than the
 * tree (a resumed action's is the dead sentinel's): its pid may since be another process's, and
 * the command runs as the sentinel's user. Null when the stop will refuse `root` (pid 1, the
 * sentinel or one of its ancestors): nothing is stopped, so nothing is run at it either.
 */
export function commandPid(root: number, stuck: number): number | null {
	try {
		const table = scanProcesses();
		if (guardSignalTarget(root, {selfPid: process.pid, ancestorPids: [process.ppid, ...ancestorsOf(table, process.pid)]})) return null;
		return stuck !== root && descendantsOf(table, root).some(info => info.pid === stuck) ? stuck : root;
	} catch {
		return root;
	}
}

/**
 * The evidence of one stop: `--evidence-command` runs now, with the stuck process's pid (bounded:
 * evidence-command.ts); `take` is handed to the stop, which captures from its own snapshot right
 * before its first signal, and never throws into it; `outcome` gives the result entry's fields once
 * the file is in place (none when the stop signalled nothing).
 */
export async function evidenceForStop(template: string | null | undefined, pids: {root: number; stuck: number}, input: Omit<EvidenceInput, 'command' | 'now'>, now: () => number) {
	const target = template ? commandPid(pids.root, pids.stuck) : null;
	const command = template && target !== null ? await runEvidenceCommand(template, target) : null;
	let kept: Promise<EvidenceOutcome> | null = null;
	return {
		take: (table: ProcessTable, members: number[]) => {
			try {
				kept = keepEvidence({...input, command, now: now()}, table, members);
			} catch (error) {
				kept = Promise.resolve(notKept(error));
			}
		},
		outcome: async (): Promise<Partial<EvidenceOutcome>> => (kept ? await kept : {}),
	};
}
