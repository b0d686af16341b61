// Writes deploy/k8s/base/prometheus-rule.yaml: the prometheus-operator PrometheusRule that
// carries the alert rules of deploy/prometheus/alerts.yml, comments included, so that one file
// stays the source of the rules for docker compose, promtool's tests and Kubernetes.
//   npx tsx scripts/generate-prometheus-rule.ts            print it
//   npx tsx scripts/generate-prometheus-rule.ts --write    write it
// Each alert's runbook_url is `<base>#<its runbook's anchor in docs/operations.md>`. The base is
// RUNBOOK_BASE_URL when set (or --runbook-base-url=URL), so that an overlay can link to the
// copy of docs/operations.md its operators read; --write always uses the default, which
// alerts.yml carries too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isSeq, parseDocument } from 'yaml';

export const ALERTS_PATH = join(__dirname, '..', 'deploy', 'prometheus', 'alerts.yml');
export const PROMETHEUS_RULE_PATH = join(__dirname, '..', 'deploy', 'k8s', 'base', 'prometheus-rule.yaml');

/** Where docs/operations.md, which holds the runbooks, is published; alerts.yml links to it. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/example/sms-gateway/blob/main/docs/operations.md';

/**
 * The anchor a Markdown renderer (GitHub, GitLab) gives a heading: lower case, punctuation
 * dropped, spaces as hyphens. A runbook's heading is its alert's name, so its anchor is the
 * name in lower case.
 */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Throws unless `base` is an absolute http(s) URL without a fragment (the anchor goes there). */
export function checkRunbookBaseUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`the runbook base URL must be absolute: ${JSON.stringify(base)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.hash !== '' || base.endsWith('#')) {
    throw new Error(`the runbook base URL must be http(s) and without a #fragment: ${base}`);
  }
  return base;
}

const HEADER = [
  ' Generated from deploy/prometheus/alerts.yml by scripts/generate-prometheus-rule.ts: edit',
  ' alerts.yml, then run `npx tsx scripts/generate-prometheus-rule.ts --write`.',
  ' Prometheus loads it when its ruleSelector matches these labels (see deploy/README.md).',
].join('\n');

/**
 * The PrometheusRule manifest, as YAML, holding the rule groups of an alerts.yml, with every
 * alert's runbook_url built from `runbookBaseUrl`.
 */
export function prometheusRule(alertsYaml: string, runbookBaseUrl = DEFAULT_RUNBOOK_BASE_URL): string {
  const base = checkRunbookBaseUrl(runbookBaseUrl);
  const alerts = parseDocument(alertsYaml);
  if (alerts.errors.length > 0) throw new Error(`alerts.yml: ${alerts.errors[0]!.message}`);
  const groups = alerts.get('groups', true);
  if (!isSeq(groups) || groups.items.length === 0) throw new Error('alerts.yml: no rule groups');
  for (const group of groups.items) {
    const rules = isMap(group) ? group.get('rules', true) : undefined;
    for (const rule of isSeq(rules) ? rules.items : []) {
      const alert = isMap(rule) ? rule.get('alert') : undefined;
      if (!isMap(rule) || typeof alert !== 'string') continue;
      const annotations = rule.get('annotations', true);
      if (!isMap(annotations)) throw new Error(`alerts.yml: ${alert} has no annotations`);
      annotations.set('runbook_url', `${base}#${headingAnchor(alert)}`);
    }
  }

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
    const write = process.argv.includes('--write');
    const flag = process.argv.find((arg) => arg.startsWith('--runbook-base-url='));
    const base = (flag?.slice('--runbook-base-url='.length) ?? process.env.RUNBOOK_BASE_URL) || undefined;
    // The committed file is the repository's own: another base belongs in an overlay.
    if (write && base !== undefined) throw new Error('--write takes no runbook base URL: print it instead');
    const generated = prometheusRule(readFileSync(ALERTS_PATH, 'utf8'), base);
    if (write) {
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
