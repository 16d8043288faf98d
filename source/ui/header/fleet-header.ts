import {compareText} from '../../text/compare-text.js';
import type {FleetHost, FleetState, Snapshot} from '../../sentinel/snapshot.js';
import {formatClock, formatCompactDuration} from '../format.js';
import type {Glyphs} from '../glyphs.js';
import type {Segment} from '../Line.js';

// The fleet view's header: no auto, actor or hourly limit line (each host's sentinel has its own),
// but the Prometheus it reads and every host behind it, a down one included.

/** How a host's last scrape reads: its age, and whether it is stale or never seen up. */
export function hostAge(host: FleetHost, now: number): string {
	if (host.lastScrapeMs === null) return host.stale ? 'down, never scraped' : 'not scraped yet';
	const age = formatCompactDuration(Math.max(0, now - host.lastScrapeMs));
	return host.stale ? `stale ${age}` : age;
}

/** Line one: clock, what is wrong with Prometheus if anything, its URL (last: it is cut first). */
export function fleetStatusLine(snapshot: Snapshot, fleet: FleetState, glyphs: Glyphs): Segment[] {
	const sep: Segment = {text: glyphs.separator, dim: true};
	const segments: Segment[] = [{text: 'sentinel-tui fleet ', bold: true}, {text: formatClock(snapshot.generatedAt)}];
	if (fleet.problem) {
		// The table keeps the last data that worked: say how old it is.
		const since = fleet.refreshedMs === null ? 'no data yet' : `data from ${formatCompactDuration(Math.max(0, snapshot.generatedAt - fleet.refreshedMs))} ago`;
		// The problem names Prometheus itself ("Prometheus at URL did not answer within 5 s ...").
		segments.push(sep, {text: `${fleet.problem} (${since})`, color: 'red', bold: true});
	} else if (fleet.refreshedMs === null) {
		segments.push(sep, {text: 'asking Prometheus ...', color: 'yellow'});
	}
	segments.push(sep, {text: fleet.prometheus});
	return segments;
}

/** Line two: every host with the age of its last scrape, stale ones marked; sorted so the line stays put. */
export function hostsLine(fleet: FleetState, now: number, glyphs: Glyphs): Segment[] {
	if (fleet.hosts.length === 0) return [{text: 'hosts: none found in Prometheus (sentinel_info)', dim: true}];
	const segments: Segment[] = [{text: `${fleet.hosts.length} ${fleet.hosts.length === 1 ? 'host' : 'hosts'}: `}];
	const hosts = [...fleet.hosts].sort((a, b) => compareText(a.host, b.host));
	for (const [index, host] of hosts.entries()) {
		if (index > 0) segments.push({text: glyphs.separator, dim: true});
		segments.push({text: host.host, bold: !host.stale, dim: host.stale}, {text: ` ${hostAge(host, now)}`, color: host.stale ? 'yellow' : undefined});
		// A live host can still be wrong: no sentinel leads it, or its labels are refused.
		if (!host.stale && host.problem) segments.push({text: ` (${host.problem})`, color: 'yellow'});
	}
	return segments;
}
