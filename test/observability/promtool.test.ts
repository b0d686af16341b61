import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The Prometheus files as Prometheus itself reads them: promtool checks the configurations and
// the rules, and runs the rules' unit tests (deploy/prometheus/alerts.test.yml). promtool comes
// with Debian's `prometheus` package, which .ci/run installs; without it these tests fail.
const PROMETHEUS_DIR = resolve(__dirname, '..', '..', 'deploy', 'prometheus');

function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8', timeout: 30_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'promtool is not installed: install Debian\'s "prometheus" package (apt-get install prometheus), as .ci/run does',
    );
  }
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error) throw new Error(`promtool ${args.join(' ')} failed: ${run.error.message}\n${output}`);
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} exited ${run.status}:\n${output}`);
  return output;
}

it.each(['prometheus.yml', 'prometheus-local.yml'])('%s is a valid configuration with its rules', (file) => {
  // Rule files are resolved relative to the configuration file, as in the container.
  expect(promtool('check', 'config', join(PROMETHEUS_DIR, file))).toContain('SUCCESS');
});

it('alerts.yml passes promtool check rules', () => {
  expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
});

it('every alert passes its unit tests in alerts.test.yml', () => {
  expect(promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
});

it('alerts.test.yml has a case where each alert fires and one where it stays silent', () => {
  const read = (file: string) => readFileSync(join(PROMETHEUS_DIR, file), 'utf8');
  const alerts = [...read('alerts.yml').matchAll(/^\s*- alert: (\w+)\s*$/gm)].map((m) => m[1]!);
  const tests = read('alerts.test.yml');
  const hasCase = (alert: string, fires: boolean) =>
    new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:${fires ? '\\n\\s+- exp_labels' : ' \\[\\]'}`).test(
      tests,
    );
  expect(alerts.length).toBeGreaterThan(0);
  expect(alerts.filter((alert) => !hasCase(alert, true))).toEqual([]);
  expect(alerts.filter((alert) => !hasCase(alert, false))).toEqual([]);
});
