// One table of options: it drives the flags, the config file keys, the environment variables,
// the --help text and the readme's configuration section.

export type OptionKind = 'duration' | 'size' | 'count' | 'percent' | 'flag' | 'text' | 'path';

export type OptionSpec = {
	/** camelCase: the config file key; the flag is its kebab-case. */
	name: string;
	kind: OptionKind;
	/** The default as an operator writes it; undefined when there is none. */
	fallback?: string | number | boolean;
	description: string;
	/** For a flag on by default: what its `--no-` form does (a row of its own in --help). */
	negation?: string;
};

export const optionSpecs = [
	{name: 'jobsDir', kind: 'path', description: 'Directory of job directories (also the positional argument)'},
	{name: 'config', kind: 'path', description: 'JSON config file (default ~/.config/sentinel-tui/config.json)'},
	{name: 'interval', kind: 'duration', fallback: '2s', description: 'Time between samples'},
	{name: 'workerTimeout', kind: 'duration', fallback: '30m', description: 'Silence that makes a worker hang (T)'},
	{name: 'supervisorTimeout', kind: 'duration', fallback: '15m', description: 'Silence that makes a supervisor hang (T)'},
	{name: 'criticalTimeout', kind: 'duration', fallback: '1h', description: 'Silence that is critical (C); T is capped at C'},
	{name: 'memoryLimit', kind: 'size', fallback: '1024MB', description: 'RSS of a job tree that is medium (2x: high)'},
	{name: 'cpuLimit', kind: 'percent', fallback: 95, description: 'CPU percent of one core that counts as busy'},
	{name: 'cpuSamples', kind: 'count', fallback: 5, description: 'Busy samples in a row that raise a silent job'},
	{name: 'maxInterventions', kind: 'count', fallback: 5, description: 'Automatic recover/terminate actions per rolling hour'},
	{name: 'grace', kind: 'duration', fallback: '10s', description: 'Time between SIGTERM and SIGKILL'},
	{name: 'noAuto', kind: 'flag', fallback: false, description: 'Assess and show, never act on its own'},
	{name: 'dryRun', kind: 'flag', fallback: false, description: 'Never write a manifest or send a signal; audit what would be done'},
	{name: 'onIntervention', kind: 'text', description: 'Shell command run on every intervention (event JSON on stdin)'},
	{name: 'webhook', kind: 'text', description: 'URL that receives every intervention as a JSON POST'},
	{name: 'evidenceCommand', kind: 'text', description: 'Shell command run before each stop, {pid} the stuck process; its output goes in the evidence file (5 s limit)'},
	{name: 'auditLog', kind: 'path', description: 'Audit log file (default <jobs-dir>/.sentinel/audit.jsonl)'},
	{name: 'monitoredStatuses', kind: 'text', fallback: 'RUNNING,REVIEWING,EXECUTING,PROVISIONING,RECOVERING,HARVESTING', description: 'Statuses that are monitored, comma-separated'},
	{name: 'metrics', kind: 'text', description: 'Serve Prometheus metrics at http://[HOST:]PORT/metrics (HOST 127.0.0.1 unless given)'},
	{name: 'loopDetection', kind: 'flag', fallback: true, description: 'Count as activity only output lines that are not repeats', negation: 'Count every write to an output file as activity'},
	{name: 'cadenceThreshold', kind: 'count', fallback: 8, description: "Suspicion (phi) of silence beyond a job's own rhythm that warns at medium; 0 turns it off"},
	{name: 'ascii', kind: 'flag', fallback: false, description: 'Draw with ASCII only'},
	{name: 'prometheus', kind: 'text', description: 'fleet: the Prometheus server (http(s) URL) that scrapes every sentinel'},
	{name: 'remoteCommand', kind: 'text', fallback: 'ssh -o BatchMode=yes {host}', description: "fleet: what runs x, r and p on a job's host; {host} from sentinel_info"},
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof optionSpecs)[number]['name'];

/** `workerTimeout` -> `worker-timeout`. */
export function flagName(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/** `workerTimeout` -> `SENTINEL_WORKER_TIMEOUT`. */
export function envName(name: string): string {
	return `SENTINEL_${flagName(name).replaceAll('-', '_').toUpperCase()}`;
}

/** The options table as Markdown, for the readme (a test checks the readme embeds exactly this). */
export function optionsMarkdown(): string {
	const rows = (optionSpecs as readonly OptionSpec[]).map(spec => {
		const fallback = spec.fallback === undefined ? '' : `\`${String(spec.fallback)}\``;
		// A config file cannot name another config file.
		const key = spec.name === 'config' ? '' : `\`${spec.name}\``;
		return `| \`--${flagName(spec.name)}\` | ${key} | \`${envName(spec.name)}\` | ${fallback} | ${spec.description} |`;
	});
	return ['| Flag | Config key | Environment | Default | Does |', '|---|---|---|---|---|', ...rows].join('\n');
}
