// deploy/: the alerting rules, their unit tests and the scrape example, checked by promtool
// (Debian's `prometheus` package; .ci/run installs it), and the systemd unit agreeing with them.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseMetricsAddress} from '../../source/metrics/metrics-address.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
const prometheusDir = path.join(deploy, 'prometheus');

/** Run promtool or amtool in deploy/prometheus/. */
function tool(name: 'promtool' | 'amtool', ...args: string[]): {code: number | null; output: string} {
	const result = spawnSync(name, args, {cwd: prometheusDir, encoding: 'utf8'});
	if (result.error) throw new Error(`${name} cannot run (${result.error.message}): apt-get install prometheus prometheus-alertmanager, or bash .ci/run`);
	return {code: result.status, output: `${result.stdout}${result.stderr}`};
}

const promtool = (...args: string[]) => tool('promtool', ...args);

const rules = fs.readFileSync(path.join(prometheusDir, 'sentinel-rules.yml'), 'utf8');
const ruleTests = fs.readFileSync(path.join(prometheusDir, 'sentinel-rules.test.yml'), 'utf8');
const alerts = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map(match => match[1]!);

describe('deploy/prometheus', () => {
	it('the rules pass promtool check rules', () => {
		const result = promtool('check', 'rules', 'sentinel-rules.yml');
		expect(result.output).toContain(`SUCCESS: ${alerts.length} rules found`);
		expect(result.code, result.output).toBe(0);
	});

	it('every alert of SPEC section 14 is there, each with unit tests that pass promtool test rules', () => {
		expect(alerts).toEqual(['SentinelJobHung', 'SentinelJobCadence', 'SentinelJobInvalid', 'SentinelDown', 'SentinelAbsent', 'SentinelNoLeader', 'SentinelInterventionsSkipped']);
		for (const alert of alerts) {
			const cases = [...ruleTests.matchAll(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:(.*)`, 'g'))].map(match => match[1]!.trim());
			// Each alert is seen firing (a list follows) and held quiet (`[]`) somewhere.
			expect(cases, alert).toContain('');
			expect(cases, alert).toContain('[]');
		}
		const result = promtool('test', 'rules', 'sentinel-rules.test.yml');
		expect(result.code, result.output).toBe(0);
		expect(result.output).toContain('SUCCESS');
	});

	it('the scrape example passes promtool check config, and scrapes the port the systemd unit serves', () => {
		const result = promtool('check', 'config', 'prometheus.yml');
		expect(result.code, result.output).toBe(0);
		const unit = fs.readFileSync(path.join(deploy, 'systemd', 'sentinel-tui.service'), 'utf8');
		const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
		expect(execStart).toMatch(/ sentinel-tui --headless /);
		const metrics = parseMetricsAddress(/--metrics (\S+)/.exec(execStart)?.[1] ?? '');
		expect(metrics).toMatchObject({port: expect.any(Number)});
		const targets = [...fs.readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8').matchAll(/'[\w.-]+:(\d+)'/g)].map(match => Number(match[1]));
		expect(targets).toContain((metrics as {port: number}).port);
		expect(fs.readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8')).toMatch(/job_name: sentinel-tui\n/);
	});

	it('the Alertmanager example passes amtool check-config, and routes every alert by its severity', () => {
		const check = tool('amtool', 'check-config', 'alertmanager.yml');
		expect(check.code, check.output).toBe(0);
		const severities = [...rules.matchAll(/^\s+- alert: (\w+)\n[\s\S]*?severity: (\w+)$/gm)].map(match => [match[1]!, match[2]!] as const);
		expect(severities.map(([alert]) => alert)).toEqual(alerts);
		const receiver = {critical: 'pager', warning: 'team-chat'} as Record<string, string>;
		for (const [alert, severity] of severities) {
			const route = tool('amtool', 'config', 'routes', 'test', '--config.file=alertmanager.yml', `alertname=${alert}`, 'job=sentinel-tui', `severity=${severity}`);
			expect(route.code, route.output).toBe(0);
			expect(route.output.split('\n')[0], alert).toBe(receiver[severity]);
		}
	});
});
