import {spawnSync} from 'node:child_process';
import net from 'node:net';

/** One sample of the Prometheus text format: a series and its value. */
export type Sample = {name: string; labels: Record<string, string>; value: number};

/** GET http://<address>/metrics: status, content type and body. */
export async function scrape(address: string): Promise<{status: number; type: string; text: string}> {
	const response = await fetch(`http://${address}/metrics`);
	return {status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text()};
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

/** The samples of an exposition, label values unescaped (`\\`, `\"`, `\n`); throws on a line it cannot read. */
export function parseExposition(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = sampleLine.exec(line);
		if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
		const labels: Record<string, string> = {};
		const body = match[2] ?? '';
		labelPair.lastIndex = 0;
		let read = 0;
		for (let pair = labelPair.exec(body); pair; pair = labelPair.exec(body)) {
			labels[pair[1]!] = pair[2]!.replaceAll(/\\(.)/g, (_all, escaped: string) => (escaped === 'n' ? '\n' : escaped));
			read = labelPair.lastIndex;
		}
		if (read !== body.length) throw new Error(`labels not read whole: ${JSON.stringify(line)}`);
		samples.push({name: match[1]!, labels, value: Number(match[3])});
	}
	return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function series(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
	return samples.filter(sample => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** The value of the one sample named `name` with `labels`; throws when there is not exactly one. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
	const found = series(samples, name, labels);
	if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
	return found[0]!.value;
}

/**
 * `promtool check metrics` on the sentinel's own metrics (prom-client's default ones are left
 * out: promtool's linter has opinions about their names): its exit code and what it said.
 */
export function promtoolCheck(text: string): {code: number | null; output: string} {
	const ours = text
		.split('\n')
		.filter(line => /^(# (HELP|TYPE) )?sentinel_/.test(line))
		.join('\n');
	const result = spawnSync('promtool', ['check', 'metrics'], {input: `${ours}\n`, encoding: 'utf8'});
	return {code: result.status, output: `${result.stdout}${result.stderr}`};
}

/** A TCP port that was free a moment ago (for a server that cannot be asked to pick one). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}
