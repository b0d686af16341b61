import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  allOfKind,
  at,
  containersOf,
  find,
  K8S_DIR,
  matchesLabels,
  podSpec,
  RENDERINGS,
  SECRET_EXAMPLE,
  WORKLOADS,
} from './gateway-manifests';
import { type Manifest, parseImage, readYamlDocuments } from './render-kustomization';
import { schemaProblems } from './validate-manifest';

// Every manifest that `kubectl apply -k` would send, checked against the schemas of Kubernetes,
// KEDA and prometheus-operator (unknown fields included, as the API server's strict field
// validation does), and against the conventions the gateway's pods rely on.

const REPO_ROOT = join(K8S_DIR, '..', '..');
const rendered = RENDERINGS.map(([name, render]) => [name, render()] as const);
const everyManifest = rendered.flatMap(([name, manifests]) =>
  manifests.map((m) => [name, `${m.kind} ${m.metadata.name}`, m] as const),
);

describe.each(rendered)('%s', (_name, manifests) => {
  // Every Deployment, not only those of WORKLOADS: a service added to the manifests meets the
  // same rules before any test knows its configuration.
  const deployments = allOfKind(manifests, 'Deployment').map((d) => [d.metadata.name, d] as const);
  const containers = deployments.flatMap(([name, d]) =>
    containersOf(d).map((c) => [`${name}/${c.name}`, d, c] as const),
  );

  it('renders the API, the worker and the archiver with their Services, budgets, policies and monitors', () => {
    expect(deployments.map(([name]) => name).sort()).toEqual(['sms-api', 'sms-archiver', 'sms-worker']);
    for (const [deployment] of deployments) {
      for (const kind of [
        'Deployment',
        'Service',
        'PodDisruptionBudget',
        'NetworkPolicy',
        'ServiceMonitor',
      ]) {
        expect(() => find(manifests, kind, deployment)).not.toThrow();
      }
    }
    expect(allOfKind(manifests, 'PrometheusRule')).toHaveLength(1);
  });

  it('holds no Secret: secret.example.yaml stays out of every kustomization', () => {
    expect(allOfKind(manifests, 'Secret')).toEqual([]);
  });

  it.each(deployments)('selects the pods of %s with every selector meant for them', (deployment, d) => {
    const podLabels = at(d, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
    const selects = (selector: unknown) => matchesLabels(selector, podLabels);
    expect(selects(at(d, 'spec', 'selector'))).toBe(true);
    expect(selects(at(find(manifests, 'PodDisruptionBudget', deployment), 'spec', 'selector'))).toBe(true);
    expect(selects(at(find(manifests, 'NetworkPolicy', deployment), 'spec', 'podSelector'))).toBe(true);
    const service = find(manifests, 'Service', deployment);
    expect(selects({ matchLabels: at(service, 'spec', 'selector') })).toBe(true);
    const monitor = find(manifests, 'ServiceMonitor', deployment);
    expect(matchesLabels(at(monitor, 'spec', 'selector'), service.metadata.labels ?? {})).toBe(true);
  });

  it.each(containers)('runs %s under the restricted Pod Security Standard', (_name, d, c) => {
    const pod = podSpec(d);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(at(pod, 'securityContext', 'runAsNonRoot')).toBe(true);
    expect(at(pod, 'securityContext', 'seccompProfile', 'type')).toBe('RuntimeDefault');
    expect(at(c, 'securityContext', 'allowPrivilegeEscalation')).toBe(false);
    expect(at(c, 'securityContext', 'capabilities', 'drop')).toEqual(['ALL']);
    // The root filesystem is read-only: the temporary directory must stay writable.
    expect(at(c, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    const volume = (pod.volumes as Array<{ name: string; emptyDir?: unknown }>).find(
      (v) => v.name === tmp?.name,
    );
    expect(volume?.emptyDir).toBeDefined();
  });

  it.each(containers)('gives %s requests and limits, requests within limits', (_name, _d, c) => {
    for (const resource of ['cpu', 'memory']) {
      const request = quantity(at(c.resources, 'requests', resource));
      const limit = quantity(at(c.resources, 'limits', resource));
      expect(request).toBeGreaterThan(0);
      expect(limit).toBeGreaterThanOrEqual(request);
    }
  });

  it.each(containers)('starts in %s an entry point that exists in the image', (_name, _d, c) => {
    // deploy/Dockerfile puts each service's `pnpm deploy` output in /app/<service>, compiled.
    const [node, main, ...rest] = c.command ?? [];
    expect([node, rest]).toEqual(['node', []]);
    const [, service, file] = /^([a-z-]+)\/dist\/([a-z-]+)\.js$/.exec(main ?? '') ?? [];
    expect(existsSync(join(REPO_ROOT, 'services', service ?? '-', 'src', `${file}.ts`))).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8')).toContain(
      `COPY --from=build /out/${service} ${service}\n`,
    );
  });

  it('leaves a worker sending while a node drain evicts what the budget allows, and lets drains go on', () => {
    const deployment = find(manifests, 'Deployment', 'sms-worker');
    const autoscalers = [
      ...allOfKind(manifests, 'ScaledObject').map((s) => at(s, 'spec', 'minReplicaCount')),
      ...allOfKind(manifests, 'HorizontalPodAutoscaler').map((h) => at(h, 'spec', 'minReplicas')),
    ] as number[];
    expect(autoscalers.length <= 1).toBe(true);
    // An autoscaler's minimum is the fewest workers there can be; otherwise the Deployment's own.
    const fewest = autoscalers[0] ?? (at(deployment, 'spec', 'replicas') as number | undefined) ?? 1;
    if (autoscalers.length > 0) expect(at(deployment, 'spec', 'replicas')).toBeUndefined();
    const budget = at(find(manifests, 'PodDisruptionBudget', 'sms-worker'), 'spec') as {
      maxUnavailable?: number;
      minAvailable?: number;
    };
    const evictable =
      budget.maxUnavailable !== undefined ? budget.maxUnavailable : fewest - (budget.minAvailable ?? 0);
    expect(evictable).toBeGreaterThanOrEqual(1);
    expect(fewest - evictable).toBeGreaterThanOrEqual(1);
  });

  it('disables Service links, so that no Service name can inject a variable like API_PORT', () => {
    for (const [, d] of deployments) expect(podSpec(d).enableServiceLinks).toBe(false);
  });

  it('leaves an archiver running while a node drain evicts what the budget allows', () => {
    const replicas = at(find(manifests, 'Deployment', 'sms-archiver'), 'spec', 'replicas') as number;
    const budget = at(
      find(manifests, 'PodDisruptionBudget', 'sms-archiver'),
      'spec',
      'maxUnavailable',
    ) as number;
    expect(budget).toBe(1);
    expect(replicas - budget).toBeGreaterThanOrEqual(1);
  });
});

describe('overlays/production', () => {
  const manifests = rendered.find(([name]) => name === 'overlays/production')![1];

  it('puts every namespaced resource in its namespace, which enforces the restricted profile', () => {
    const namespace = find(manifests, 'Namespace', 'sms-gateway');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const m of manifests.filter((m) => m.kind !== 'Namespace')) {
      expect([m.kind, m.metadata.name, m.metadata.namespace]).toEqual([
        m.kind,
        m.metadata.name,
        'sms-gateway',
      ]);
    }
  });

  it('runs a released image in every container: a registry name and a tag other than latest', () => {
    const images = allOfKind(manifests, 'Deployment').flatMap((d) => containersOf(d).map((c) => c.image!));
    expect(images.length).toBeGreaterThan(WORKLOADS.length);
    for (const { name: image, tag } of images.map(parseImage)) {
      expect(image).toContain('/');
      expect(tag).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('runs several API replicas, each drained one at a time', () => {
    expect(at(find(manifests, 'Deployment', 'sms-api'), 'spec', 'replicas')).toBeGreaterThanOrEqual(2);
    expect(at(find(manifests, 'PodDisruptionBudget', 'sms-api'), 'spec', 'maxUnavailable')).toBe(1);
  });
});

describe('schemas', () => {
  it.each(everyManifest)('%s: %s is valid, without unknown fields', (_rendering, _name, manifest) => {
    expect(schemaProblems(manifest)).toEqual([]);
  });

  it.each(readYamlDocuments(SECRET_EXAMPLE).map((d) => [(d as Manifest).metadata.name, d as Manifest]))(
    'secret.example.yaml: Secret %s is valid',
    (_name, secret) => {
      expect(schemaProblems(secret)).toEqual([]);
    },
  );

  it('knows every file under deploy/k8s: each is a manifest in some rendering, a kustomization or listed here', () => {
    const notManifests = new Set([
      'base/secret.example.yaml',
      // Settings that only kustomize reads (local-config), for the ScaledObject's replacements.
      'overlays/production/monitoring.yaml',
      'components/hpa-prometheus-adapter/prometheus-adapter-values.yaml',
    ]);
    const files = yamlFilesUnder(K8S_DIR).map((file) => relative(K8S_DIR, file));
    const unaccounted = files.filter(
      (file) =>
        !file.endsWith('kustomization.yaml') && !file.endsWith('-patch.yaml') && !notManifests.has(file),
    );
    const renderedNames = new Set(everyManifest.map(([, name]) => name));
    for (const file of unaccounted) {
      for (const document of readYamlDocuments(join(K8S_DIR, file)) as Manifest[]) {
        expect([file, renderedNames.has(`${document.kind} ${document.metadata.name}`)]).toEqual([file, true]);
      }
    }
  });
});

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/** A CPU or memory quantity in base units (cores, bytes). */
function quantity(value: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity this test reads: ${String(value)}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * scale;
}
