import { flagName, optionSpecs, envName } from './config/options.js';
const usage = `
  An execution sentinel with a live terminal dashboard.

  Usage
    $ sentinel-tui [jobs-dir]                      the dashboard
    $ sentinel-tui --headless [jobs-dir]           the engine, JSON lines on stdout
    $ sentinel-tui status [--json] [jobs-dir]      one check; exit 0 ok, 1 medium/invalid, 2 high+, 3 unknown
    $ sentinel-tui run [--id ID] [--role R] [--retries N] -- CMD ...
    $ sentinel-tui demo                            real misbehaving jobs, in the dashboard
    $ sentinel-tui log [--json] [-f]               the audit log
`;
/** The --help text, made from the one option table. */
export function helpText() {
    const rows = optionSpecs.map(spec => {
        const fallback = 'fallback' in spec ? ` (default ${String(spec.fallback)})` : '';
        return `    --${flagName(spec.name).padEnd(22)} ${spec.description}${fallback}`;
    });
    return `${usage}
  Options
${rows.join('\n')}
    --version                  Print the version
    --help                     Print this help

  Every option is also a config file key (camelCase) and an environment
  variable (${envName('workerTimeout')}, ...). Precedence: file < env < flags.
  Durations: 500ms, 90s, 30m, 1h or seconds. Sizes: 512MB, 2GB or MB.
`;
}
