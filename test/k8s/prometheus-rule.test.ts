import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALERTS_PATH, PROMETHEUS_RULE_PATH, prometheusRule } from '../../scripts/generate-prometheus-rule';
import { vectorSelectors } from '../observability/promql-selectors';
import { allOfKind, at, find, RENDERINGS } from './gateway-manifests';
import { promtool } from './run-promtool';

// deploy/prometheus/alerts.yml is the one source of the alert rules; the PrometheusRule that
// Kubernetes gets is generated from it and must not drift.

const HOW_TO_FIX = 'run `npx tsx scripts/generate-prometheus-rule.ts --write`';

interface Rule {
  readonly alert: string;
  readonly expr: string;
}

it('deploy/k8s/base/prometheus-rule.yaml is what the generator makes of alerts.yml', () => {
  const committed = readFileSync(PROMETHEUS_RULE_PATH, 'utf8');
  const generated = prometheusRule(readFileSync(ALERTS_PATH, 'utf8'));
  if (committed !== generated) {
    throw new Error(`prometheus-rule.yaml is out of date with alerts.yml: ${HOW_TO_FIX}`);
  }
});

it('carries exactly the rule groups of alerts.yml', () => {
  const alerts = parse(readFileSync(ALERTS_PATH, 'utf8')) as { groups: unknown[] };
  const rule = parse(readFileSync(PROMETHEUS_RULE_PATH, 'utf8')) as { spec: { groups: unknown[] } };
  expect(alerts.groups.length).toBeGreaterThan(0);
  expect(rule.spec.groups).toEqual(alerts.groups);
});

it('passes promtool check rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-rule-'));
  try {
    const rule = parse(readFileSync(PROMETHEUS_RULE_PATH, 'utf8')) as { spec: unknown };
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify(rule.spec));
    expect(promtool(dir, 'check', 'rules', 'rules.yml')).toMatch(/SUCCESS: [1-9]\d* rules found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.each(RENDERINGS.map(([name, render]) => [name, render()] as const))('%s', (_name, manifests) => {
  it('carries rules that name no scrape job, so that they hold however the jobs are named', () => {
    const rules = (
      at(allOfKind(manifests, 'PrometheusRule')[0], 'spec', 'groups') as Array<{ rules: Rule[] }>
    ).flatMap((group) => group.rules);
    expect(rules.length).toBeGreaterThan(0);
    const jobMatchers = rules.flatMap((rule) =>
      vectorSelectors(rule.expr).flatMap((s) =>
        s.matchers
          .filter((m) => m.label === 'job')
          .map((m) => `${rule.alert}: ${s.metric}{job${m.op}"${m.value}"}`),
      ),
    );
    expect(jobMatchers).toEqual([]);
  });

  it('scrapes under the job names the dashboard selects (sms-*): each is a Service a ServiceMonitor selects', () => {
    for (const job of ['sms-api', 'sms-worker']) {
      const monitor = find(manifests, 'ServiceMonitor', job);
      // Without jobLabel, prometheus-operator names the job after the Service.
      expect(at(monitor, 'spec', 'jobLabel')).toBeUndefined();
      const service = find(manifests, 'Service', job);
      expect(at(monitor, 'spec', 'selector', 'matchLabels')).toEqual({
        'app.kubernetes.io/name': service.metadata.labels?.['app.kubernetes.io/name'],
      });
    }
  });
});
