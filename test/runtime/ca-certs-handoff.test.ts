import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {caCertsHandoff, restoreCaCerts} from '../../source/runtime/ca-certs-handoff.js';
import {cliEnv, cliPath, finished, spawnPiped} from '../helpers/cli.js';
import {makeTempDir} from '../helpers/temp-dir.js';

describe('restoreCaCerts', () => {
	it('puts NODE_EXTRA_CA_CERTS back and drops the name it was moved to', () => {
		const env: NodeJS.ProcessEnv = {[caCertsHandoff]: '/etc/ssl/extra.pem', PATH: '/bin'};
		restoreCaCerts(env);
		expect(env).toEqual({NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem', PATH: '/bin'});
	});

	it('keeps a variable that was set but empty, set and empty', () => {
		const env: NodeJS.ProcessEnv = {[caCertsHandoff]: ''};
		restoreCaCerts(env);
		expect(env).toEqual({NODE_EXTRA_CA_CERTS: ''});
	});

	it('changes nothing when nothing was moved', () => {
		const env: NodeJS.ProcessEnv = {NODE_EXTRA_CA_CERTS: '/own.pem'};
		restoreCaCerts(env);
		expect(env).toEqual({NODE_EXTRA_CA_CERTS: '/own.pem'});
	});
});

describe("the program's first line", () => {
	it('moves the variable to the name the program restores it from', () => {
		const [shebang, start] = fs.readFileSync(cliPath, 'utf8').split('\n');
		expect(shebang).toBe('#!/bin/sh');
		expect(start).toContain(`export ${caCertsHandoff}="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS;`);
	});

	// `run` starts the command with the sentinel's own environment: it must be the operator's.
	const cases: Array<{name: string; value: string | undefined; seen: string}> = [
		{name: 'set', value: '/etc/ssl/extra.pem', seen: 'value=/etc/ssl/extra.pem|moved=unset'},
		{name: 'set and empty', value: '', seen: 'value=|moved=unset'},
		{name: 'unset', value: undefined, seen: 'value=unset|moved=unset'},
	];
	for (const {name, value, seen} of cases) {
		it(`gives the commands it starts NODE_EXTRA_CA_CERTS as the operator had it (${name})`, async () => {
			const jobsDir = makeTempDir('sentinel-ca-');
			const out = path.join(jobsDir, 'seen.txt');
			const env = cliEnv();
			delete env['NODE_EXTRA_CA_CERTS'];
			if (value !== undefined) env['NODE_EXTRA_CA_CERTS'] = value;
			const script = `printf 'value=%s|moved=%s' "\${NODE_EXTRA_CA_CERTS-unset}" "\${${caCertsHandoff}-unset}" > '${out}'`;
			// The program itself, as npx and a shell start it: its first line is what moves the variable.
			const run = await finished(spawnPiped(cliPath, ['run', '--jobs-dir', jobsDir, '--', 'sh', '-c', script], {env}));
			expect(run.code, run.stderr).toBe(0);
			expect(fs.readFileSync(out, 'utf8')).toBe(seen);
		});
	}
});
