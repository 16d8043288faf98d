/** Where `--metrics` serves: a host (name or address) and a TCP port. */
export type MetricsAddress = {host: string; port: number};

/** Loopback unless a host is given: the metrics name every job, which is not for every network. */
export const defaultMetricsHost = '127.0.0.1';

/**
 * `--metrics [HOST:]PORT` read: `9742`, `0.0.0.0:9742`, `localhost:9742`, `[::1]:9742`. Port 0
 * takes any free port (headless prints the one it got). Returns why not, as the rest of a
 * one-line error, when the value is no such address.
 */
export function parseMetricsAddress(value: string): MetricsAddress | {error: string} {
	const text = value.trim();
	const match = /^(?:(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]+)):)?(\d{1,5})$/.exec(text);
	if (!match) return {error: 'is not [HOST:]PORT (try 9742 or 0.0.0.0:9742; an IPv6 host in brackets: [::1]:9742)'};
	const port = Number(match[3]);
	if (port > 65_535) return {error: `port ${port} is above 65535`};
	return {host: match[1] ?? match[2] ?? defaultMetricsHost, port};
}

/** The address as an operator writes it, IPv6 in brackets. */
export function formatMetricsAddress({host, port}: MetricsAddress): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
