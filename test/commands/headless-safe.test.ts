import {describe, expect, it} from 'vitest';
import {startSentinel} from '../helpers/sentinel-process.js';
import {makeTempDir, writeJob} from '../helpers/temp-dir.js';

describe('--headless output on a terminal', () => {
	it('writes a folder name holding bidi controls as escapes, and it parses back whole', async () => {
		const jobsDir = makeTempDir();
		const name = 'evil\u202Egnp.exe\u2066x';
		writeJob(jobsDir, name, {status: 'PENDING'});
		const sentinel = startSentinel(jobsDir, ['--interval', '250ms']);
		const added = await sentinel.waitForLine(line => line.type === 'job.added');
		expect(String(added['dir']).endsWith(name)).toBe(true);
		await sentinel.stop();
		const raw = sentinel.rawStdout();
		expect(raw).toContain('\\u202e');
		expect(raw).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
	});
});
