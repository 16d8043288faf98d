import {describe, expect, test} from 'vitest';
import {formatMetricsAddress, parseMetricsAddress} from '../../source/metrics/metrics-address.js';
import {testConfig} from '../helpers/engine.js';
import {makeTempDir} from '../helpers/temp-dir.js';

describe('--metrics [HOST:]PORT', () => {
	test('a port alone is loopback; a host, a name or a bracketed IPv6 address is kept', () => {
		expect(parseMetricsAddress('9742')).toEqual({host: '127.0.0.1', port: 9742});
		expect(parseMetricsAddress('0.0.0.0:9742')).toEqual({host: '0.0.0.0', port: 9742});
		expect(parseMetricsAddress('metrics.example-1.lan:80')).toEqual({host: 'metrics.example-1.lan', port: 80});
		expect(parseMetricsAddress('[::1]:9742')).toEqual({host: '::1', port: 9742});
		expect(parseMetricsAddress(' 0 ')).toEqual({host: '127.0.0.1', port: 0});
	});

	test.each(['', ':9742', 'host:', 'host:port', '9742x', '::1:9742', '[::1]', 'a b:1', 'http://host:1', '-1', '1.5'])('refuses %j', value => {
		expect(parseMetricsAddress(value)).toHaveProperty('error');
	});

	test('refuses a port above 65535, saying so', () => {
		expect(parseMetricsAddress('65536')).toEqual({error: 'port 65536 is above 65535'});
		expect(parseMetricsAddress('65535')).toEqual({host: '127.0.0.1', port: 65_535});
	});

	test('writes IPv6 hosts back in brackets', () => {
		expect(formatMetricsAddress({host: '::1', port: 1})).toBe('[::1]:1');
		expect(formatMetricsAddress({host: 'localhost', port: 1})).toBe('localhost:1');
	});

	test('is an option like any other: a flag, a config key, an environment variable, off by default', () => {
		const jobsDir = makeTempDir();
		expect(testConfig(jobsDir).metrics).toBeNull();
		expect(testConfig(jobsDir, {metrics: '0.0.0.0:9742'}).metrics).toEqual({host: '0.0.0.0', port: 9742});
		expect(() => testConfig(jobsDir, {metrics: 'nine'})).toThrow(/^--metrics: "nine" is not \[HOST:\]PORT/);
	});
});
