import {describe, expect, it} from 'vitest';
import {fitRecord, type EvidenceRecord} from '../../../source/sentinel/act/evidence/evidence-record.js';
import {redactArguments, redactText} from '../../../source/sentinel/act/evidence/redact.js';

describe('evidence redaction', () => {
	it('hides values of arguments named like secrets, and known key shapes, leaving the rest', () => {
		expect(
			redactArguments(['agent', '--token', 'abc123', '--api-key=XYZ', 'PASSWORD=hunter2', '-p', 'x', '--auth', 'u:p', '--keyboard', 'us', '--secret-file=/run/s', 'sk-proj-abcdefghijk', 'ghp_abcdefghijklmnopqrstuvwxyz12', 'xoxb-1234-5678-abcdefgh', 'AKIAIOSFODNN7EXAMPLE', 'task-12345678901']),
		).toEqual(['agent', '--token', '***', '--api-key=***', 'PASSWORD=***', '-p', 'x', '--auth', '***', '--keyboard', 'us', '--secret-file=***', '***', '***', '***', '***', 'task-12345678901']);
	});

	it('hides them inside a line of text too: a joined command line, a header, a URL, JSON', () => {
		expect(redactText('curl -H "Authorization: Bearer abcdefghijkl" https://me:pw@host/x --token t0k')).toBe('curl -H "Authorization: *** ***" https://me:***@host/x --token ***');
		expect(redactText('{"api_key": "abc", "name": "x"} at 12:30:45 secret=1 GITHUB_TOKEN=ghp_x')).toBe('{"api_key": ***, "name": "x"} at 12:30:45 secret=*** GITHUB_TOKEN=***');
		expect(redactText('http://example.com:8080/a step 3 of 10')).toBe('http://example.com:8080/a step 3 of 10');
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
