import {describe, expect, it} from 'vitest';
import {directoryProblem, nameProblem} from '../../source/fleet/plain-label.js';

describe('plain labels (SPEC section 14)', () => {
	it.each(['web-1', 'web_1.example.com', 'A.b-C_9', 'job.2026-01-01'])('takes %j as a name', name => {
		expect(nameProblem('host', name)).toBeNull();
	});

	it.each(['', 'a b', 'a;b', '$(id)', '`id`', 'a|b', "a'b", 'a"b', 'a/b', '-oProxyCommand', '-x', 'ü', 'a\nb', 'a\u202Eb'])('refuses %j as a name', name => {
		expect(nameProblem('job id', name)).toMatch(/job id label/);
	});

	it.each(['/srv/jobs', '/home/ops/.local/state/sentinel-tui/jobs', '/a/b.c/d_e-f', '/'])('takes %j as a jobs directory', dir => {
		expect(directoryProblem(dir)).toBeNull();
	});

	it.each(['jobs', '-x', '/srv/../etc', '/srv/..', '../x', '/a b', '/a;b', '/$(id)', '~/jobs', '/a\\b'])('refuses %j as a jobs directory', dir => {
		expect(directoryProblem(dir)).toMatch(/jobs_dir label/);
	});
});
