import bytes from 'bytes';
import {sanitize} from '../../../text/sanitize.js';

// An evidence file as a person reads it (`log --evidence`, the dashboard). The file lies in a job
// directory its owner can write: every field is checked for its type, every string sanitised.

type Loose = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? sanitize(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');
const record = (value: unknown): Loose => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** A multi-line text as sanitised lines, each indented. */
const block = (value: unknown, indent: string): string[] =>
	typeof value === 'string' && value.trim() !== '' ? value.trimEnd().split('\n').map(line => `${indent}${sanitize(line)}`) : [];

function processLines(facts: Loose): string[] {
	const cpu = typeof facts['cpu_percent'] === 'number' ? ` ${facts['cpu_percent'].toFixed(1)}%` : '';
	const rss = typeof facts['rss_bytes'] === 'number' ? bytes(facts['rss_bytes'], {unitSeparator: ' '}) : '?';
	const fds = list(facts['fds']).map(item => {
		const fd = record(item);
		const peer = fd['peer'] ? ` -> ${text(fd['peer'])}` : fd['local'] ? ` (${text(fd['local'])}${fd['listening'] ? ', listening' : ''})` : '';
		return `${text(fd['fd'])}=${text(fd['target'])}${peer}`;
	});
	const left = typeof facts['fds_left_out'] === 'number' ? ` (+${facts['fds_left_out']} more)` : '';
	const waits = list(facts['waits_on']).map(item => `${text(record(item)['kind'])} ${text(record(item)['name'])}`);
	return [
		`  pid ${text(facts['pid'])} (parent ${text(facts['ppid'])}) ${text(facts['state'])} ${text(facts['name'])}: syscall ${text(facts['syscall']) || '-'}, wchan ${text(facts['wchan']) || '-'}${waits.length > 0 ? `, waits on ${waits.join(', ')}` : ''}`,
		`    cpu ${text(facts['cpu_time_ms'])} ms${cpu}, rss ${rss}, started ${text(facts['start_time'])}`,
		`    command: ${text(facts['command']) || '(unreadable)'}`,
		`    cwd: ${text(facts['cwd']) || '(unreadable)'}`,
		...(fds.length > 0 ? [`    fds: ${fds.join('  ')}${left}`] : []),
		...(typeof facts['stack'] === 'string' ? ['    stack:', ...block(facts['stack'], '      ')] : []),
	];
}

function commandLines(run: Loose): string[] {
	if (Object.keys(run).length === 0) return [];
	const outcome = run['timed_out'] === true ? 'timed out, killed' : run['error'] ? `could not start: ${text(run['error'])}` : run['signal'] ? `killed by ${text(run['signal'])}` : `exit code ${text(run['exit_code'])}`;
	return ['', `Evidence command: ${text(run['command'])} (${outcome}, ${text(run['duration_ms'])} ms)`, ...block(run['stdout'], '  '), ...(text(run['stderr']) ? ['  stderr:', ...block(run['stderr'], '    ')] : [])];
}

/** An evidence file's content as readable lines, every string sanitised. */
export function evidenceLines(value: unknown): string[] {
	const evidence = record(value);
	const sentinel = record(evidence['sentinel']);
	const diagnosis = record(evidence['diagnosis']);
	// The signals that said something: an `ok` signal's message is empty.
	const signals = list(record(evidence['assessment'])['evidence'])
		.map(item => record(item))
		.filter(signal => text(signal['message']) !== '')
		.map(signal => `  ${text(signal['name'])} ${text(signal['severity'])}: ${text(signal['message'])}`);
	const processes = list(evidence['processes']).map(item => record(item));
	const outputs = list(evidence['outputs']).map(item => record(item));
	const cut = list(evidence['cut']).map(item => text(item));
	return [
		`${text(evidence['action'])} of job ${text(evidence['job_id'])} (${text(evidence['actor'])}, ${text(evidence['severity'])}), action ${text(evidence['action_id'])}`,
		`Captured ${text(evidence['captured_at'])} by sentinel-tui ${text(sentinel['version'])} on ${text(sentinel['host'])} (pid ${text(sentinel['pid'])}) in ${text(evidence['capture_ms']) || '?'} ms`,
		`Job directory: ${text(evidence['dir'])}`,
		`Reason: ${text(evidence['reason'])}`,
		...(diagnosis['kind'] ? [`Diagnosis: ${text(diagnosis['kind'])}, pid ${text(diagnosis['pid']) || '-'} (${text(diagnosis['command']) || '?'}): ${text(diagnosis['detail'])}`] : []),
		...(signals.length > 0 ? ['Signals:', ...signals] : []),
		...(cut.length > 0 ? [`Cut to fit 1 MiB: ${cut.join('; ')}`] : []),
		'',
		`Processes (${processes.length}${typeof evidence['processes_left_out'] === 'number' ? `, ${evidence['processes_left_out']} left out` : ''}):`,
		...processes.flatMap(facts => processLines(facts)),
		...outputs.flatMap(tail => ['', `Output ${text(tail['file'])}${tail['problem'] ? `: ${text(tail['problem'])}` : ` (last ${list(tail['lines']).length} lines):`}`, ...list(tail['lines']).map(line => `  ${text(line)}`)]),
		...commandLines(record(evidence['evidence_command'])),
		'',
		'Manifest as it was:',
		...block(JSON.stringify(evidence['manifest'] ?? null, null, 2), '  '),
	];
}
