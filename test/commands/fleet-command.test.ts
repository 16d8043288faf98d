import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/load-config.js';
import {runCli} from '../helpers/cli.js';
import {makeTempDir} from '../helpers/temp-dir.js';

// `sentinel-tui fleet`'s own checks, before anything starts: each a one-line error, exit 2.

describe('sentinel-tui fleet, before it starts', () => {
	it('takes --prometheus as an http(s) URL only, from a flag, the environment or the config file', () => {
		const load = (flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => loadConfig({flags, env, home: makeTempDir()});
		expect(load({prometheus: 'http://prometheus:9090'}).prometheus).toBe('http://prometheus:9090');
		expect(load({}, {SENTINEL_PROMETHEUS: 'https://user:secret@prom.example/base'}).prometheus).toBe('https://user:secret@prom.example/base');
		expect(load({}).prometheus).toBeNull();
		expect(load({}).remoteCommand).toBe('ssh -o BatchMode=yes {host}');
		for (const bad of ['prometheus:9090', 'ftp://prometheus', 'http://', 'not a url']) {
			expect(() => load({prometheus: bad}), bad).toThrow(ConfigError);
			expect(() => load({prometheus: bad}), bad).toThrow(/^--prometheus: .* is not an http\(s\) URL/);
		}
	});

	it('says in one line what is wrong, exit 2: no --prometheus, a bad one, a remote command that needs a shell, no terminal, an argument', async () => {
		const cases: Array<[string[], RegExp]> = [
			[['fleet'], /^sentinel-tui: fleet needs --prometheus URL/],
			[['fleet', '--prometheus', 'prometheus:9090'], /^sentinel-tui: --prometheus: "prometheus:9090" is not an http\(s\) URL/],
			[['fleet', '--prometheus', 'http://127.0.0.1:9', '--remote-command', 'ssh {host}; rm -rf ~'], /^sentinel-tui: --remote-command .* holds the operator ";"/],
			[['fleet', '--prometheus', 'http://127.0.0.1:9'], /^sentinel-tui: the fleet view needs a terminal/],
			[['fleet', 'some-dir', '--prometheus', 'http://127.0.0.1:9'], /^sentinel-tui: unexpected argument "some-dir"/],
		];
		const results = await Promise.all(cases.map(([args]) => runCli(args)));
		for (const [index, result] of results.entries()) {
			const [args, message] = cases[index]!;
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
			expect(result.stderr, args.join(' ')).toMatch(message);
			expect(result.stdout).toBe('');
		}
	});
});
