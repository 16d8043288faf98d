import {describe, expect, it} from 'vitest';
import {fitRecord, redactValue, tooDeep, type EvidenceRecord} from '../../../source/sentinel/act/evidence/evidence-record.js';
import {redactArguments, redactText} from '../../../source/sentinel/act/evidence/redact.js';

describe('evidence redaction', () => {
	it('hides values of arguments named like secrets, and known key shapes, leaving the rest', () => {
		expect(
			redactArguments(['agent', '--token', 'abc123', '--api-key=XYZ', 'PASSWORD=hunter2', '-p', 'x', '--auth', 'u:p', '--keyboard', 'us', '--secret-file=/run/s', 'sk-proj-abcdefghijk', 'ghp_abcdefghijklmnopqrstuvwxyz12', 'xoxb-1234-5678-abcdefgh', 'AKIAIOSFODNN7EXAMPLE', 'task-12345678901']),
		).toEqual(['agent', '--token', '***', '--api-key=***', 'PASSWORD=***', '-p', 'x', '--auth', '***', '--keyboard', 'us', '--secret-file=***', '***', '***', '***', '***', 'task-12345678901']);
	});

	it('hides them inside a line of text too: a joined command line, a header, a URL, JSON', () => {
		expect(redactText('curl -H "Authorization: Bearer abcdefghijkl" https://me:pw@host/x --token t0k')).toBe('curl -H "Authorization: ***" https://me:***@host/x --token ***');
		expect(redactText('{"api_key": "abc", "name": "x"} at 12:30:45 secret=1 GITHUB_TOKEN=ghp_x')).toBe('{"api_key": ***, "name": "x"} at 12:30:45 secret=*** GITHUB_TOKEN=***');
		expect(redactText('http://example.com:8080/a step 3 of 10')).toBe('http://example.com:8080/a step 3 of 10');
	});

	it('lets none of the shapes an operator would try through, as arguments or inside a line', () => {
		const planted = {
			'--password=x': '--password=***',
			'--password=a b': '--password=***',
			'TOKEN=x': 'TOKEN=***',
			'Authorization: Bearer abcdefghijkl': 'Authorization: ***',
			'Authorization: token abc123': 'Authorization: ***',
			'Proxy-Authorization: Basic dXNlcjpwYXNz': 'Proxy-Authorization: ***',
			'Cookie: sid=abc123; theme=dark': 'Cookie: ***',
			'--header=X-Api-Key:abc123': '--header=X-Api-Key:***',
			'https://user:pw@host/x': 'https://user:***@host/x',
			'https://user:p@ss@host/x': 'https://user:***@host/x',
			'https://host/x?token=abc&page=2': 'https://host/x?token=***&page=2',
			'https://host/cb?access_token=abc': 'https://host/cb?access_token=***',
			'sk-proj-Abcdefgh12345678_xyz-abc': '***',
			'ghp_AbCdEfGhIjKlMnOpQrStUvWx0123': '***',
			'github_pat_11ABCDEFG0123456789_abcdefghijk': '***',
			'xoxb-1234-5678-abcdefgh': '***',
			'xoxp-1234-5678-abcdefgh': '***',
			'AKIAIOSFODNN7EXAMPLE': '***',
			'{"api_key":"x"}': '{"api_key":***}',
			'{"auth":{"token":"abc"}}': '{"auth":{"token":***}}',
		};
		for (const [arg, expected] of Object.entries(planted)) {
			expect(redactArguments(['tool', arg]), arg).toEqual(['tool', expected]);
			// In a line of text a value ends at a space (`--password=a b` is an argument's alone); a header's at the line's end.
			const header = /^(Authorization|Proxy|Cookie)/.test(arg);
			if (!arg.includes(' ') || header) expect(redactText(`run ${arg} now`), arg).toBe(`run ${expected}${header ? '' : ' now'}`);
		}
		// A short flag is not a name: `-p` is a port as often as a password (SPEC names token, key, secret, password, auth).
		expect(redactArguments(['ssh', '-p', '2222', 'host'])).toEqual(['ssh', '-p', '2222', 'host']);
	});

	it('reads a 1 MiB word (more than any line or argument kept) once: no pattern scans it again from each letter', () => {
		// Each of these took a time quadratic in its length (16 KiB: 0.3-0.6 s; 1 MiB would be hours).
		for (const word of ['a'.repeat(1 << 20), 'a.'.repeat(1 << 19), 'a-'.repeat(1 << 19), 'a="'.repeat(1 << 18), 'a://'.repeat(1 << 18), 'x://y:auth'.repeat(1 << 17), '/token=//'.repeat(1 << 17)]) {
			expect(redactText(word)).toBe(word);
			expect(redactArguments([word])).toEqual([word]);
		}
	});

	it('hides every value under a manifest field named like a secret, however deep', () => {
		expect(redactValue({tokens: ['a', 'b'], auth: {user: 'me', pin: 1234}, api_key: 'k', note: 'key sk-proj-Abcdefgh12345678', steps: [1, 2]})).toEqual({
			tokens: ['***', '***'],
			auth: {user: '***', pin: '***'},
			api_key: '***',
			note: 'key ***',
			steps: [1, 2],
		});
		// Past the depth redaction looks into, nothing is kept whole: a secret could lie below it.
		let deep: unknown = {token: 'deep-secret-value'};
		for (let level = 0; level < 40; level++) deep = {a: deep};
		const shown = JSON.stringify(redactValue(deep));
		expect(shown).not.toContain('deep-secret-value');
		expect(shown).toContain(tooDeep);
	});
});

describe('an evidence file over 1 MiB', () => {
	it('is cut, output tails first, and says what was cut', () => {
		const lines = Array.from({length: 200}, (_, index) => `${index} ${'x'.repeat(6000)}`);
		const record = {format: 1, action: 'terminate', action_id: 'a', actor: 'auto', job_id: 'j', dir: '/d', captured_at: '', sentinel: {version: '0', host: 'h', pid: 1}, severity: 'critical', reason: '', assessment: null, diagnosis: null, processes: [], outputs: [{file: 'out.log', lines}], manifest: {status: 'RUNNING'}, evidence_command: null} satisfies EvidenceRecord;
		const text = fitRecord(record);
		expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
		const fitted = JSON.parse(text) as EvidenceRecord;
		expect(fitted.outputs[0]!.lines).toHaveLength(100);
		expect(fitted.outputs[0]!.lines.at(-1)).toBe(lines.at(-1));
		expect(fitted.cut).toEqual(['output tails cut to their last 100 lines']);
		expect(fitted.manifest).toEqual({status: 'RUNNING'});
	});
});
