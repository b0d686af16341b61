import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, workerConfigSchema } from '@sms/config';
import { createApiMetrics, createWorkerMetrics } from '@sms/metrics';
import { QUEUE_STATES, SMS_QUEUE } from '@sms/queue';
import { stringify } from 'yaml';
import { vectorSelectors } from '../observability/promql-selectors';
import { environmentWithExampleSecrets } from './example-secret-files';
import {
  allOfKind,
  at,
  container,
  find,
  HPA_COMPONENT,
  PRODUCTION_OVERLAY,
  productionOverlayIn,
  RENDERINGS,
} from './gateway-manifests';
import { kustomize } from './kustomize';
import { readYamlDocuments } from './render-kustomization';
import { promtool } from './run-promtool';

// The workers scale on the backlog that waits in Redis: KEDA's ScaledObject in production, or
// the HPA component with prometheus-adapter. Both queries are evaluated by promtool on series
// shaped like the gateway's, and may read only metrics and labels the services expose.

const production = RENDERINGS.find(([name]) => name === 'overlays/production')![1]();
const withHpa = RENDERINGS.find(([name]) => name.includes('hpa-prometheus-adapter'))![1]();
const NAMESPACE = 'sms-gateway';

const scaledObject = find(production, 'ScaledObject', 'sms-worker');
const trigger = (
  at(scaledObject, 'spec', 'triggers') as Array<{ type: string; metadata: Record<string, string> }>
)[0]!;
const kedaQuery = trigger.metadata.query!;

const adapterRule = (
  readYamlDocuments(join(HPA_COMPONENT, 'prometheus-adapter-values.yaml'))[0] as {
    rules: { external: Array<{ seriesQuery: string; metricsQuery: string; name: { as: string } }> };
  }
).rules.external[0]!;
// What the adapter sends for an HPA in the gateway's namespace.
const adapterQuery = adapterRule.metricsQuery.replaceAll('<<.LabelMatchers>>', `namespace="${NAMESPACE}"`);

const QUERIES = [
  ['the ScaledObject', kedaQuery],
  ['the prometheus-adapter rule', adapterQuery],
] as const;

// Labels Prometheus adds to every scraped series: prometheus-operator's target labels.
const TARGET_LABELS = new Set(['namespace', 'job', 'instance', 'pod', 'service', 'endpoint', 'container']);

function exposedMetrics(): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const { registry } of [createApiMetrics(), createWorkerMetrics()]) {
    for (const metric of registry.getMetricsAsArray()) {
      const labelNames = (metric as { labelNames?: readonly string[] }).labelNames ?? [];
      metrics.set(metric.name, new Set([...(metrics.get(metric.name) ?? []), ...labelNames]));
    }
  }
  return metrics;
}

describe.each(QUERIES)('the backlog query of %s', (_name, query) => {
  const selectors = vectorSelectors(query);

  it('reads only metrics and labels the API and the worker expose', () => {
    const metrics = exposedMetrics();
    expect(selectors.map((s) => s.metric).sort()).toEqual([
      'sms_circuit_open',
      'sms_queue_jobs',
      'sms_sending_held',
    ]);
    for (const { metric, matchers } of selectors) {
      const labels = metrics.get(metric);
      expect([metric, labels !== undefined]).toEqual([metric, true]);
      for (const { label } of matchers)
        expect([metric, label, labels!.has(label) || TARGET_LABELS.has(label)]).toEqual([
          metric,
          label,
          true,
        ]);
    }
  });

  it('counts the send queue’s jobs that are due (waiting, prioritized, delayed), not scheduled, active or failed ones', () => {
    const jobs = selectors.find((s) => s.metric === 'sms_queue_jobs')!;
    expect(jobs.matchers).toContainEqual({ label: 'queue', op: '=', value: SMS_QUEUE });
    const state = jobs.matchers.find((m) => m.label === 'state')!;
    expect(state.op).toBe('=~');
    const counted = QUEUE_STATES.filter((s) => new RegExp(`^(?:${state.value})$`).test(s));
    expect(counted.sort()).toEqual(['delayed', 'prioritized', 'waiting']);
  });

  it('reads the gateway’s own namespace only', () => {
    for (const { metric, matchers } of selectors) {
      expect([metric, matchers.filter((m) => m.label === 'namespace')]).toEqual([
        metric,
        [{ label: 'namespace', op: '=', value: NAMESPACE }],
      ]);
    }
  });

  it('evaluates, in Prometheus, to the backlog, and to 0 while sending is held or the circuit is open', () => {
    // Series over 5 minutes, one sample a minute, as promtool's input_series reads them.
    const jobs =
      (job: string, instance: string, namespace = NAMESPACE) =>
      (queue: string, state: string, count: number) => ({
        series: `sms_queue_jobs{namespace="${namespace}", job="${job}", instance="${instance}", queue="${queue}", state="${state}"}`,
        values: `${count}x5`,
      });
    const reporters = [jobs('sms-api', 'a1'), jobs('sms-worker', 'w1'), jobs('sms-worker', 'w2')];
    const gate = (metric: string, instance: string, values: string) => ({
      series: `${metric}{namespace="${NAMESPACE}", job="sms-worker", instance="${instance}"}`,
      values,
    });
    const test = {
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // Every replica reports the same depths: each counts once.
            ...reporters.flatMap((report) => [
              report('sms', 'waiting', 100),
              report('sms', 'prioritized', 20),
              report('sms', 'delayed', 30),
              // A campaign scheduled for tomorrow needs no worker today.
              report('sms', 'scheduled', 5000),
              report('sms', 'active', 7),
              report('sms', 'failed', 3),
              report('sms-dead-letter', 'waiting', 50),
            ]),
            // Another gateway in the same Prometheus.
            jobs('sms-worker', 's1', 'sms-staging')('sms', 'waiting', 1000),
            gate('sms_sending_held', 'w1', '0 0 1 0 0 0'),
            gate('sms_sending_held', 'w2', '0 0 1 0 0 0'),
            gate('sms_circuit_open', 'w1', '0 0 0 0 1 0'),
            gate('sms_circuit_open', 'w2', '0 0 0 0 1 0'),
          ],
          promql_expr_test: [
            { expr: query, eval_time: '1m', exp_samples: [{ labels: '{}', value: 150 }] },
            { expr: query, eval_time: '2m', exp_samples: [{ labels: '{}', value: 0 }] },
            { expr: query, eval_time: '3m', exp_samples: [{ labels: '{}', value: 150 }] },
            { expr: query, eval_time: '4m', exp_samples: [{ labels: '{}', value: 0 }] },
          ],
        },
        {
          // No worker reports the gate (none scraped): no answer, so KEDA uses its fallback
          // instead of reading a backlog of 0.
          interval: '1m',
          input_series: [reporters[0]!('sms', 'waiting', 100)],
          promql_expr_test: [{ expr: query, eval_time: '1m', exp_samples: [] }],
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'backlog-query-'));
    try {
      writeFileSync(join(dir, 'backlog.test.yml'), stringify(test));
      expect(promtool(dir, 'test', 'rules', 'backlog.test.yml')).toContain('SUCCESS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the ScaledObject of overlays/production', () => {
  const workerConfig = () => {
    const deployment = find(production, 'Deployment', 'sms-worker');
    const dir = mkdtempSync(join(tmpdir(), 'scaled-object-'));
    try {
      return loadConfig(
        workerConfigSchema,
        environmentWithExampleSecrets(production, deployment, container(deployment, 'worker'), dir),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('scales the worker Deployment, which leaves its replica count to it', () => {
    expect(at(scaledObject, 'spec', 'scaleTargetRef')).toEqual({ name: 'sms-worker' });
    expect(at(find(production, 'Deployment', 'sms-worker'), 'spec', 'replicas')).toBeUndefined();
  });

  it('keeps two workers at least, so that delayed retries are promoted when due through a node drain', () => {
    expect(at(scaledObject, 'spec', 'minReplicaCount')).toBe(2);
  });

  it('adds no replica past what RATE_LIMIT_PER_SECOND lets them send, even at 1 s per call', () => {
    const { RATE_LIMIT_PER_SECOND, WORKER_CONCURRENCY } = workerConfig();
    expect(RATE_LIMIT_PER_SECOND).toBeGreaterThan(0);
    const useful = Math.ceil(RATE_LIMIT_PER_SECOND / WORKER_CONCURRENCY);
    const max = at(scaledObject, 'spec', 'maxReplicaCount') as number;
    expect(max).toBeGreaterThanOrEqual(1);
    expect(max).toBeLessThanOrEqual(useful);
    const fallback = at(scaledObject, 'spec', 'fallback', 'replicas') as number;
    expect(fallback).toBeGreaterThanOrEqual(1);
    expect(fallback).toBeLessThanOrEqual(max);
  });

  it('asks the Prometheus the NetworkPolicies let scrape the gateway, and treats no answer as an error', () => {
    expect(trigger.type).toBe('prometheus');
    const prometheusNamespace = (
      at(
        find(production, 'NetworkPolicy', 'sms-worker'),
        'spec',
        'ingress',
        0,
        'from',
        0,
        'namespaceSelector',
        'matchLabels',
      ) as Record<string, string>
    )['kubernetes.io/metadata.name'];
    expect(new URL(trigger.metadata.serverAddress!).hostname).toBe(
      `prometheus-operated.${prometheusNamespace}.svc`,
    );
    expect(trigger.metadata.ignoreNullValues).toBe('false');
    expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
  });

  it('reads the namespace the overlay installs into and the Prometheus of monitoring.yaml, written nowhere else', () => {
    const dir = PRODUCTION_OVERLAY;
    // The same overlay installed into another namespace.
    const elsewhere = kustomize(productionOverlayIn('sms-staging'));
    const moved = (
      at(find(elsewhere, 'ScaledObject', 'sms-worker'), 'spec', 'triggers', 0, 'metadata') as Record<
        string,
        string
      >
    ).query!;
    const namespaces = vectorSelectors(moved).flatMap((s) =>
      s.matchers.filter((m) => m.label === 'namespace'),
    );
    expect(namespaces.map((m) => m.value)).toEqual(['sms-staging', 'sms-staging', 'sms-staging']);
    const [monitoring] = readYamlDocuments(join(dir, 'monitoring.yaml')) as Array<{
      data: { prometheusUrl: string };
    }>;
    expect(trigger.metadata.serverAddress).toBe(monitoring!.data.prometheusUrl);
    const [source] = readYamlDocuments(join(dir, 'worker-scaled-object.yaml'));
    const written = JSON.stringify(at(source, 'spec', 'triggers'));
    expect(written).not.toContain(NAMESPACE);
    expect(written).not.toContain(monitoring!.data.prometheusUrl);
  });

  it('is the only autoscaler of the workers in production', () => {
    expect(allOfKind(production, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(allOfKind(production, 'ScaledObject')).toHaveLength(1);
  });
});

describe('the HPA component (without KEDA)', () => {
  const hpa = find(withHpa, 'HorizontalPodAutoscaler', 'sms-worker');

  it('scales the worker Deployment on the metric the prometheus-adapter rule serves', () => {
    expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'sms-worker',
    });
    expect(at(hpa, 'spec', 'metrics', 0, 'external', 'metric', 'name')).toBe(adapterRule.name.as);
    expect(vectorSelectors(adapterRule.seriesQuery).map((s) => s.metric)).toEqual(['sms_queue_jobs']);
    expect(allOfKind(withHpa, 'ScaledObject')).toEqual([]);
  });

  it('applies the ScaledObject’s policy: same bounds, same backlog per replica, same pace', () => {
    expect(at(hpa, 'spec', 'minReplicas')).toBe(at(scaledObject, 'spec', 'minReplicaCount'));
    expect(at(hpa, 'spec', 'maxReplicas')).toBe(at(scaledObject, 'spec', 'maxReplicaCount'));
    expect(at(hpa, 'spec', 'metrics', 0, 'external', 'target')).toEqual({
      type: 'AverageValue',
      averageValue: trigger.metadata.threshold,
    });
    expect(at(hpa, 'spec', 'behavior')).toEqual(
      at(scaledObject, 'spec', 'advanced', 'horizontalPodAutoscalerConfig', 'behavior'),
    );
  });

  it('is the same query as the ScaledObject’s, once the adapter has filled in the namespace', () => {
    const shape = (query: string) => query.replace(/\{[^}]*\}/g, '{}').replace(/\s+/g, ' ');
    const selectors = (query: string) =>
      vectorSelectors(query).map(({ metric, matchers }) => ({
        metric,
        matchers: [...matchers].sort((a, b) => a.label.localeCompare(b.label)),
      }));
    expect(shape(adapterQuery)).toBe(shape(kedaQuery));
    expect(selectors(adapterQuery)).toEqual(selectors(kedaQuery));
  });
});
