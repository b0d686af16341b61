import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  ALERTS_PATH,
  DEFAULT_RUNBOOK_BASE_URL,
  headingAnchor,
  PROMETHEUS_RULE_PATH,
  prometheusRule,
} from '../../scripts/generate-prometheus-rule';

// An alert's runbook link is opened from Alertmanager, a pager or a chat message, far from the
// repository: it must be an absolute URL, and its anchor must land on the runbook's heading.
const ROOT = resolve(__dirname, '..', '..');
const GENERATOR = join(ROOT, 'scripts', 'generate-prometheus-rule.ts');
const OTHER_BASE = 'https://git.example.org/ops/sms-gateway/-/blob/v2.1/docs/operations.md';

interface Rule {
  readonly alert?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

const alertsOf = (groups: ReadonlyArray<{ rules: Rule[] }>) =>
  groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined);
const alertsYml = alertsOf((parse(readFileSync(ALERTS_PATH, 'utf8')) as { groups: [] }).groups);
const ruleGroupsOf = (manifest: string) =>
  alertsOf((parse(manifest) as { spec: { groups: [] } }).spec.groups);
const runbookAnchors = new Set(
  [...readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    headingAnchor(m[1]!),
  ),
);

const urls = (rules: readonly Rule[]) =>
  rules.map((rule) => ({ alert: rule.alert, url: rule.annotations?.runbook_url }));

it('gives every alert of alerts.yml an absolute runbook_url, and no repository path', () => {
  expect(alertsYml.length).toBeGreaterThan(0);
  for (const rule of alertsYml) {
    expect({ alert: rule.alert, runbook: rule.annotations?.runbook }).toEqual({
      alert: rule.alert,
      runbook: undefined,
    });
    expect(new URL(rule.annotations!.runbook_url!).protocol).toBe('https:');
  }
  expect(urls(alertsYml)).toEqual(
    alertsYml.map((rule) => ({
      alert: rule.alert,
      url: `${DEFAULT_RUNBOOK_BASE_URL}#${rule.alert!.toLowerCase()}`,
    })),
  );
});

it("points every runbook_url's anchor at a heading of docs/operations.md", () => {
  const missing = alertsYml
    .map((rule) => new URL(rule.annotations!.runbook_url!).hash.slice(1))
    .filter((anchor) => !runbookAnchors.has(anchor));
  expect(missing).toEqual([]);
});

it('builds the PrometheusRule links from the base it is given, the anchors unchanged', () => {
  const committed = ruleGroupsOf(readFileSync(PROMETHEUS_RULE_PATH, 'utf8'));
  expect(urls(committed)).toEqual(urls(alertsYml));
  const other = ruleGroupsOf(prometheusRule(readFileSync(ALERTS_PATH, 'utf8'), OTHER_BASE));
  expect(urls(other)).toEqual(
    alertsYml.map((rule) => ({ alert: rule.alert, url: `${OTHER_BASE}#${rule.alert!.toLowerCase()}` })),
  );
});

it('takes the base from RUNBOOK_BASE_URL, as deploy/README.md tells an overlay to', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', GENERATOR], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RUNBOOK_BASE_URL: OTHER_BASE },
    timeout: 30_000,
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  expect(new Set(urls(ruleGroupsOf(run.stdout)).map(({ url }) => url!.split('#')[0]))).toEqual(
    new Set([OTHER_BASE]),
  );
});

it.each([
  'docs/operations.md',
  '/docs/operations.md',
  'ftp://example.org/operations.md',
  `${OTHER_BASE}#top`,
])('refuses %s as a runbook base', (base) => {
  expect(() => prometheusRule(readFileSync(ALERTS_PATH, 'utf8'), base)).toThrow(/runbook base URL/);
});

it('makes anchors as Markdown renderers do', () => {
  expect(headingAnchor('SmsRedisUnreachable')).toBe('smsredisunreachable');
  expect(headingAnchor('Monitoring: Prometheus, Grafana and alerts')).toBe(
    'monitoring-prometheus-grafana-and-alerts',
  );
  expect(headingAnchor('The image (`deploy/Dockerfile`)')).toBe('the-image-deploydockerfile');
});
