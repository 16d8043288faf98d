import {formatSize} from '../../config/units.js';
import {diagnosisLine} from '../../sentinel/judge/diagnosis-signal.js';
import type {FleetState, JobView} from '../../sentinel/snapshot.js';
import {sanitize} from '../../text/sanitize.js';
import type {AuditEntry} from '../../types.js';
import {formatCompactDuration, formatPercent} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import {entrySegments} from '../intervention-log/InterventionLog.js';
import {severityLabel, silenceOf} from '../job-table/order.js';
import type {Segment} from '../Line.js';
import {sparkline} from '../sparkline.js';
import {severityStyle} from '../theme.js';
import {hostAge} from '../header/fleet-header.js';

/** What the fleet's detail view shows about one job: only what Prometheus knows of it. */
export type FleetDetailInput = {
	view: JobView;
	fleet: FleetState;
	/** The audit entries of this job on its host, newest last. */
	audit: readonly AuditEntry[];
	now: number;
	width: number;
	glyphs: Glyphs;
	color: boolean;
};

const heading = (text: string): Segment[] => [{text, bold: true}];

/**
 * The fleet's detail view as lines: host, severity, silence, diagnosis, CPU and memory over the
 * last readings. No process tree and no output tail: those stay on the host (its own dashboard
 * or `sentinel-tui status` there shows them), and nothing here reads a local file.
 */
export function fleetDetailLines({view, fleet, audit, now, width, glyphs, color}: FleetDetailInput): Segment[][] {
	const {job} = view;
	const label = severityLabel(view);
	const host = fleet.hosts.find(candidate => candidate.host === view.host);
	const lines: Segment[][] = [];
	const title: Segment[] = [{text: `Job ${job.jobId}  `, bold: true}, {text: label, ...severityStyle(label, color)}, {text: `  on ${view.host ?? 'an unknown host'}`}];
	if (job.valid) title.push({text: `  ${job.status}  ${job.role}  silent ${formatCompactDuration(silenceOf(view, now))}`});
	if (view.stale) title.push({text: '  stale', color: 'yellow'});
	lines.push(title);
	if (host) {
		const scraped = host.lastScrapeMs === null ? hostAge(host, now) : `last scraped ${hostAge(host, now)} ago`;
		lines.push([{text: 'Host: ', bold: true}, {text: `${host.host} (${host.instance}), ${scraped}`}, {text: host.problem ? `: ${host.problem}` : '', color: 'yellow'}]);
		lines.push([{text: `Jobs directory there: ${host.jobsDir}`, dim: true}]);
	}
	if (view.stale) lines.push([{text: 'The values below are the last Prometheus had before the host went quiet.', color: 'yellow'}]);
	if (!job.valid) lines.push([{text: 'Invalid: ', ...severityStyle('invalid', color)}, {text: sanitize(job.error)}]);
	else if (job.description) lines.push([{text: `Description: ${sanitize(job.description)}`}]);

	const diagnosis = view.assessment?.diagnosis;
	// Prometheus carries the kind alone (a label); a detail, when there is one, came with it.
	if (diagnosis) lines.push([{text: 'Why: ', bold: true}, {text: diagnosis.detail || diagnosis.command ? diagnosisLine(diagnosis) : diagnosis.kind}]);
	for (const signal of view.assessment?.evidence ?? []) {
		if (signal.name === 'diagnosis') continue;
		lines.push([{text: `  ${signal.name.padEnd(8)} `}, {text: signal.severity.padEnd(9), ...severityStyle(signal.severity, color)}, {text: signal.message, dim: true}]);
	}

	// Sparklines as wide as the screen allows, beside the latest reading.
	const spark = Math.max(0, Math.min(60, width - 20));
	const cpuNow = view.sample?.cpuTrusted === false ? '-' : formatPercent(view.sample?.cpuPercent ?? view.cpuHistory.at(-1));
	const memoryNow = view.sample ? formatSize(view.sample.rssBytes) : view.rssHistory.length > 0 ? formatSize(view.rssHistory.at(-1)!) : '-';
	lines.push([], heading(`Readings (the last ${Math.max(view.cpuHistory.length, view.rssHistory.length)} from Prometheus)`));
	lines.push([{text: `  CPU    ${cpuNow.padStart(8)}  `}, {text: sparkline(view.cpuHistory, spark, glyphs.spark, 100)}]);
	lines.push([{text: `  Memory ${memoryNow.padStart(8)}  `}, {text: sparkline(view.rssHistory, spark, glyphs.spark)}]);

	lines.push([], heading('Interventions seen from here'));
	if (audit.length === 0) lines.push([{text: '  none', dim: true}]);
	for (const entry of [...audit].reverse()) lines.push([{text: '  '}, ...entrySegments(entry, color, true)]);
	lines.push([], [{text: `Processes and output stay on ${view.host ?? 'the host'}: its own dashboard or \`sentinel-tui status\` there shows them.`, dim: true}]);
	return lines;
}
