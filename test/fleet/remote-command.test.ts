import {spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {defaultRemoteCommand, parseRemoteCommand, remoteArgv, singleQuoted} from '../../source/fleet/remote-command.js';

describe('the remote command template', () => {
	it('splits as a shell would, quotes kept together', () => {
		expect(parseRemoteCommand(defaultRemoteCommand)).toEqual({argv: ['ssh', '-o', 'BatchMode=yes', '{host}']});
		expect(parseRemoteCommand(`ssh -i "/keys/my key" -l 'ops' {host}`)).toEqual({argv: ['ssh', '-i', '/keys/my key', '-l', 'ops', '{host}']});
	});

	it.each([
		['ssh {host}; rm -rf /', 'the operator ";"'],
		['ssh {host} | tee log', 'the operator "|"'],
		['ssh {host} > out', 'the operator ">"'],
		['ssh $HOST', 'a variable'],
		['ssh $(hostname)', 'a variable'],
		['ssh * {host}', 'a glob'],
		['ssh {host} # note', 'a comment'],
	])('refuses %j: it is not run through a shell', (template, what) => {
		expect(parseRemoteCommand(template)).toEqual({problem: expect.stringContaining(`holds ${what}`)});
	});

	it('refuses an empty template', () => {
		expect(parseRemoteCommand('  ')).toEqual({problem: '--remote-command is empty'});
	});

	it('puts the host in and quotes each word of the action command for the far shell', () => {
		expect(remoteArgv(['ssh', '-o', 'BatchMode=yes', '{host}'], 'web-1.example', 'recover', 'job.7', '/srv/jobs')).toEqual([
			'ssh', '-o', 'BatchMode=yes', 'web-1.example',
			"'sentinel-tui'", "'recover'", "'job.7'", "'--jobs-dir'", "'/srv/jobs'", "'--yes'", "'--json'",
		]);
		expect(remoteArgv(['jump', '--to={host}'], 'h', 'pause', 'j', '/d').slice(0, 2)).toEqual(['jump', '--to=h']);
	});

	it('single-quotes so that sh reads back exactly the string, whatever it holds', () => {
		const strings = fc.sample(fc.string({unit: 'binary', maxLength: 40}).filter(text => !text.includes('\0')), 200);
		strings.push(`$(touch x)`, '`id`', "it's", "'; rm -rf / #", '\\', '"$HOME"', '\n');
		// One sh prints each word back, NUL-separated: what the far shell would have made of it.
		const script = `printf '%s\\0' ${strings.map(singleQuoted).join(' ')}`;
		const result = spawnSync('sh', ['-c', script], {encoding: 'utf8'});
		expect(result.stdout.split('\0').slice(0, -1)).toEqual(strings);
	});
});
