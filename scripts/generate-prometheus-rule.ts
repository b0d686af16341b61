// Writes deploy/k8s/base/prometheus-rule.yaml: the prometheus-operator PrometheusRule that
// carries the alert rules of deploy/prometheus/alerts.yml, comments included, so that one file
// stays the source of the rules for docker compose, promtool's tests and Kubernetes.
//   npx tsx scripts/generate-prometheus-rule.ts            print it
//   npx tsx scripts/generate-prometheus-rule.ts --write    write it
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isSeq, parseDocument } from 'yaml';

export const ALERTS_PATH = join(__dirname, '..', 'deploy', 'prometheus', 'alerts.yml');
export const PROMETHEUS_RULE_PATH = join(__dirname, '..', 'deploy', 'k8s', 'base', 'prometheus-rule.yaml');

const HEADER = [
  ' Generated from deploy/prometheus/alerts.yml by scripts/generate-prometheus-rule.ts: edit',
  ' alerts.yml, then run `npx tsx scripts/generate-prometheus-rule.ts --write`.',
  ' Prometheus loads it when its ruleSelector matches these labels (see deploy/README.md).',
].join('\n');

/** The PrometheusRule manifest, as YAML, holding the rule groups of an alerts.yml. */
export function prometheusRule(alertsYaml: string): string {
  const alerts = parseDocument(alertsYaml);
  if (alerts.errors.length > 0) throw new Error(`alerts.yml: ${alerts.errors[0]!.message}`);
  const groups = alerts.get('groups', true);
  if (!isSeq(groups) || groups.items.length === 0) throw new Error('alerts.yml: no rule groups');

  const rule = new Document({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'sms-gateway',
      labels: { 'app.kubernetes.io/part-of': 'sms-gateway' },
    },
    spec: { groups: [] },
  });
  // The node itself, not its plain value, so that the rules' comments and block scalars stay.
  rule.setIn(['spec', 'groups'], groups);
  rule.commentBefore = HEADER;
  return rule.toString({ lineWidth: 100 });
}

if (require.main === module) {
  try {
    const generated = prometheusRule(readFileSync(ALERTS_PATH, 'utf8'));
    if (process.argv.includes('--write')) {
      writeFileSync(PROMETHEUS_RULE_PATH, generated);
      process.stderr.write(`written: ${PROMETHEUS_RULE_PATH}\n`);
    } else {
      process.stdout.write(generated);
    }
  } catch (error) {
    process.stderr.write(`generate-prometheus-rule: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
