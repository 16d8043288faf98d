import prettyMs from 'pretty-ms';
import {formatSize} from '../../config/units.js';
import {diagnosisLine} from '../../sentinel/judge/diagnosis-signal.js';
import type {JobView} from '../../sentinel/snapshot.js';
import {sanitize} from '../../text/sanitize.js';
import type {AuditEntry, Signal, Thresholds} from '../../types.js';
import {formatCompactDuration, formatPercent} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import {entrySegments} from '../intervention-log/InterventionLog.js';
import {severityLabel, silenceOf} from '../job-table/order.js';
import type {Segment} from '../Line.js';
import {takeColumns, widthOf} from '../text.js';
import {severityStyle} from '../theme.js';
import type {OutputTail} from './output-tail.js';
import {processTree} from './process-tree.js';
import {interventionLines} from './intervention-lines.js';

/** What the detail view shows about one job. */
export type DetailInput = {
	view: JobView;
	/** The audit entries of this job, newest last. */
	audit: readonly AuditEntry[];
	/** The job's evidence files, newest first (jobEvidence): those no entry here names are listed after the entries. */
	evidence: readonly string[];
	/** The output log's tail; null while it is read. */
	output: OutputTail | null;
	/** The snapshot's time. */
	now: number;
	/** Columns available, for wrapping the description. */
	width: number;
	/** Characters to draw with: Unicode, or ASCII only. */
	glyphs: Glyphs;
	color: boolean;
};

const descriptionLines = 4;

function duration(ms: number): string {
	return prettyMs(ms, {secondsDecimalDigits: 0});
}

/** A signal's value or threshold in its unit: silence in time, memory in bytes, CPU in percent. */
export function formatSignalValue(signal: Signal, value: number | string): string {
	if (typeof value === 'string') return value;
	if (signal.name === 'silence') return duration(value);
	if (signal.name === 'memory') return formatSize(value);
	if (signal.name === 'busy') return formatPercent(value);
	return String(value);
}

/** One line of thresholds: the numbers this job is judged by. */
export function thresholdsText(thresholds: Thresholds): string {
	const {role, roleTimeoutMs, criticalTimeoutMs, memoryLimitBytes, cpuLimitPercent, cpuSamples} = thresholds;
	return `${role} timeout ${duration(roleTimeoutMs)}, critical ${duration(criticalTimeoutMs)}, memory ${formatSize(memoryLimitBytes)}, busy >= ${cpuLimitPercent}% for ${cpuSamples} samples`;
}

// Long descriptions wrap onto a few lines instead of being cut at the first.
function wrap(text: string, width: number, maxLines: number, ellipsis: string): string[] {
	const lines: string[] = [];
	let rest = text;
	while (rest !== '' && lines.length < maxLines) {
		const piece = takeColumns(rest, Math.max(1, width)) || rest.slice(0, 1);
		rest = rest.slice(piece.length);
		lines.push(rest !== '' && lines.length === maxLines - 1 ? takeColumns(piece, width - widthOf(ellipsis)) + ellipsis : piece);
	}

	return lines;
}

const heading = (text: string): Segment[] => [{text, bold: true}];

/** The detail view as lines, ready to be windowed by the screen. */
export function detailLines({view, audit, evidence, output, now, width, glyphs, color}: DetailInput): Segment[][] {
	const {job} = view;
	const label = severityLabel(view);
	const lines: Segment[][] = [];
	const title: Segment[] = [{text: `Job ${job.jobId}  `, bold: true}, {text: label, ...severityStyle(label, color)}];
	if (job.valid) title.push({text: `  ${job.status}  ${job.role}  pid ${job.pid ?? '-'}  silent ${formatCompactDuration(silenceOf(view, now))}`});
	if (view.paused) title.push({text: '  paused', color: 'yellow'});
	lines.push(title, [{text: `Directory: ${job.dir}`, dim: true}]);
	if (!job.valid) {
		lines.push([{text: 'Invalid: ', ...severityStyle('invalid', color)}, {text: job.error}]);
	} else {
		const description = sanitize(job.description) || '(no description)';
		for (const line of wrap(`Description: ${description}`, width, descriptionLines, glyphs.ellipsis)) lines.push([{text: line}]);
		if (job.command) lines.push([{text: `Command: ${job.command}`}]);
	}

	if (view.assessment) {
		const {assessment} = view;
		lines.push([{text: 'Thresholds: ', bold: true}, {text: thresholdsText(assessment.thresholds)}]);
		// What its processes are doing (SPEC section 12), with the raise of a prompt when its signal says one.
		const diagnosis = assessment.evidence.find(signal => signal.name === 'diagnosis');
		if (assessment.diagnosis) {
			const raised = diagnosis && diagnosis.severity !== 'ok' ? severityStyle(diagnosis.severity, color) : {};
			lines.push([{text: 'Why: ', bold: true}, {text: diagnosis?.message ?? diagnosisLine(assessment.diagnosis), ...raised}]);
		}
		const signals = assessment.evidence.filter(signal => signal !== diagnosis);
		lines.push([], heading(assessment.monitored ? 'Evidence' : 'Evidence (status not monitored: never acted on)'));
		if (signals.length === 0) lines.push([{text: '  none', dim: true}]);
		for (const signal of signals) {
			lines.push([
				{text: `  ${signal.name.padEnd(8)} `},
				{text: signal.severity.padEnd(9), ...severityStyle(signal.severity, color)},
				{text: `${formatSignalValue(signal, signal.value)} (threshold ${formatSignalValue(signal, signal.threshold)})  `},
				{text: signal.message, dim: true},
			]);
		}
	}

	if (view.sample) {
		const {sample} = view;
		const tree = processTree(sample.processes, sample.rootPid);
		lines.push([], heading(`Processes (${tree.length})${sample.lost ? `: ${sample.lost}` : ''}`));
		if (tree.length === 0) lines.push([{text: '  none alive', dim: true}]);
		for (const {process, depth} of tree) {
			const numbers = `  ${String(process.pid).padStart(7)} ${formatPercent(process.cpuPercent).padStart(5)} ${formatSize(process.rssBytes).padStart(8)}  `;
			const indent = depth > 0 ? '  '.repeat(depth - 1) + glyphs.branch : '';
			const explains = process.pid === view.assessment?.diagnosis?.pid ? [{text: `  ${view.assessment.diagnosis.kind}`, dim: true}] : [];
			lines.push([{text: numbers}, {text: indent, dim: true}, {text: `${process.name} (${process.state})`}, ...explains]);
		}
	}

	lines.push(...interventionLines(view, audit, evidence, color));
	lines.push([], heading('Output (end of logs/output.log)'));
	if (output === null) lines.push([{text: '  reading...', dim: true}]);
	else if ('missing' in output) lines.push([{text: `  ${output.missing}`, dim: true}]);
	else if (output.lines.length === 0) lines.push([{text: '  (empty)', dim: true}]);
	else for (const line of output.lines) lines.push([{text: `  ${line}`}]);
	return lines;
}
