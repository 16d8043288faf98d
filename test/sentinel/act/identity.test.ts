import {describe, expect, it} from 'vitest';
import {checkIdentity, guardSignalTarget, notAfterToleranceMs, processStartToleranceMs, type ExpectedProcess} from '../../../source/sentinel/act/identity.js';
import type {ProcessInfo} from '../../../source/types.js';

const startedAt = Date.parse('2026-03-01T10:00:00Z');

function proc(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
	return {pid: 4242, ppid: 1, pgid: 4242, sid: 4242, state: 'S', startTimeMs: startedAt, cpuTimeMs: 0, rssBytes: 0, name: 'worker', ...overrides};
}

function expected(overrides: Partial<ExpectedProcess> = {}): ExpectedProcess {
	return {pid: 4242, processStartMs: null, notAfterMs: null, ownerUid: 1000, ...overrides};
}

describe('checkIdentity', () => {
	it('accepts the job process when every rule holds', () => {
		expect(checkIdentity(proc(), 1000, expected())).toBeNull();
		expect(checkIdentity(proc(), 1000, expected({processStartMs: startedAt}))).toBeNull();
		expect(checkIdentity(proc(), 1000, expected({notAfterMs: startedAt + 60_000}))).toBeNull();
	});

	it('says gone when no process was found, or another pid was passed', () => {
		expect(checkIdentity(null, null, expected())).toBe('pid 4242 is gone');
		expect(checkIdentity(proc({pid: 4243}), 1000, expected())).toBe('pid 4242 is gone');
	});

	it('says zombie for state Z, before looking at the owner', () => {
		expect(checkIdentity(proc({state: 'Z'}), null, expected())).toMatch(/^pid 4242 is a zombie/);
	});

	it('names both uids when the owner differs, and refuses an unreadable owner', () => {
		const reason = checkIdentity(proc(), 0, expected());
		expect(reason).toContain('uid 0');
		expect(reason).toContain('uid 1000');
		expect(checkIdentity(proc(), null, expected())).toMatch(/owner could not be read/);
	});

	it('allows process_start within 2 s either way, and no more', () => {
		expect(processStartToleranceMs).toBe(2000);
		for (const offset of [-2000, -1, 0, 1999, 2000]) {
			expect(checkIdentity(proc(), 1000, expected({processStartMs: startedAt + offset}))).toBeNull();
		}
		for (const offset of [-2001, 2001, 3_600_000]) {
			expect(checkIdentity(proc(), 1000, expected({processStartMs: startedAt + offset}))).toMatch(/not at process_start/);
		}
	});

	it('without process_start, refuses a process started after the manifest named it, past 1 s', () => {
		expect(notAfterToleranceMs).toBe(1000);
		expect(checkIdentity(proc(), 1000, expected({notAfterMs: startedAt - 1000}))).toBeNull();
		expect(checkIdentity(proc(), 1000, expected({notAfterMs: startedAt - 1001}))).toMatch(/after the manifest named it/);
		expect(checkIdentity(proc(), 1000, expected({notAfterMs: startedAt - 86_400_000}))).toMatch(/2026-03-01T10:00:00.000Z/);
	});

	it('judges by process_start alone when the manifest has one', () => {
		expect(checkIdentity(proc(), 1000, expected({processStartMs: startedAt, notAfterMs: startedAt - 60_000}))).toBeNull();
	});
});

describe('guardSignalTarget', () => {
	const guard = {selfPid: 500, ancestorPids: [400, 300, 1]};

	it('refuses pid 1, 0, negatives and non-integers', () => {
		for (const pid of [1, 0, -1, -500, 2.5, Number.NaN]) {
			expect(guardSignalTarget(pid, guard)).toMatch(/^refusing to signal pid/);
		}
	});

	it('refuses the sentinel itself and its ancestors', () => {
		expect(guardSignalTarget(500, guard)).toMatch(/sentinel itself/);
		expect(guardSignalTarget(400, guard)).toMatch(/ancestor/);
		expect(guardSignalTarget(300, guard)).toMatch(/ancestor/);
	});

	it('allows any other process', () => {
		expect(guardSignalTarget(2, guard)).toBeNull();
		expect(guardSignalTarget(501, guard)).toBeNull();
	});
});
