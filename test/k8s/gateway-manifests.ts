import { join, resolve } from 'node:path';
import { apiConfigSchema, archiverConfigSchema, workerConfigSchema } from '@sms/config';
import { type KustomizationSource, kustomize } from './kustomize';
import { isObject, type Kustomization, type Manifest, readYamlDocuments } from './render-kustomization';

export const K8S_DIR = resolve(__dirname, '..', '..', 'deploy', 'k8s');
export const SECRET_EXAMPLE = join(K8S_DIR, 'base', 'secret.example.yaml');
export const HPA_COMPONENT = join(K8S_DIR, 'components', 'hpa-prometheus-adapter');
export const PRODUCTION_OVERLAY = join(K8S_DIR, 'overlays', 'production');

/** Each way deploy/README.md installs the gateway, as the kustomization that builds it. */
export const KUSTOMIZATIONS: ReadonlyArray<readonly [name: string, source: KustomizationSource]> = [
  ['base', { dir: join(K8S_DIR, 'base') }],
  ['overlays/production', { dir: PRODUCTION_OVERLAY }],
  // How an overlay would take the HPA instead of KEDA.
  [
    'base with components/hpa-prometheus-adapter',
    {
      dir: K8S_DIR,
      inline: {
        root: K8S_DIR,
        kustomization: {
          kind: 'Kustomization',
          namespace: 'sms-gateway',
          resources: ['base'],
          components: ['components/hpa-prometheus-adapter'],
        },
      },
    },
  ],
];

/** Each of them rendered as `kubectl apply -k` would. */
export const RENDERINGS: ReadonlyArray<readonly [name: string, render: () => Manifest[]]> =
  KUSTOMIZATIONS.map(([name, source]) => [name, () => kustomize(source)] as const);

/** overlays/production installed into another namespace: its own, less namespace.yaml. */
export function productionOverlayIn(namespace: string): KustomizationSource {
  const [kustomization] = readYamlDocuments(join(PRODUCTION_OVERLAY, 'kustomization.yaml')) as [
    Kustomization,
  ];
  return {
    dir: PRODUCTION_OVERLAY,
    inline: {
      root: K8S_DIR,
      kustomization: {
        ...kustomization,
        namespace,
        resources: kustomization.resources!.filter((r) => r !== 'namespace.yaml'),
      },
    },
  };
}

/**
 * The services the manifests run: the container of each, the schema its configuration is parsed
 * with, the variable and container port name of its HTTP server and the paths it answers the
 * probes on, and those of the server Prometheus scrapes: for the API an internal one that clients
 * must not reach.
 */
export const WORKLOADS = [
  {
    deployment: 'sms-api',
    container: 'api',
    schema: apiConfigSchema,
    portVariable: 'API_PORT',
    portName: 'http',
    probePaths: { health: '/healthz', ready: '/readyz' },
    metricsPortVariable: 'ADMIN_PORT',
    metricsPortName: 'internal',
  },
  {
    deployment: 'sms-worker',
    container: 'worker',
    schema: workerConfigSchema,
    portVariable: 'WORKER_HTTP_PORT',
    portName: 'metrics',
    probePaths: { health: '/healthz', ready: '/readyz' },
    metricsPortVariable: 'WORKER_HTTP_PORT',
    metricsPortName: 'metrics',
  },
  {
    deployment: 'sms-archiver',
    container: 'archiver',
    schema: archiverConfigSchema,
    portVariable: 'ARCHIVER_HTTP_PORT',
    portName: 'metrics',
    probePaths: { health: '/health', ready: '/ready' },
    metricsPortVariable: 'ARCHIVER_HTTP_PORT',
    metricsPortName: 'metrics',
  },
] as const;

export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

export function allOfKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** Reads a field by its path, e.g. `at(deployment, 'spec', 'template', 'spec')`. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let node = value;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly env?: ReadonlyArray<{
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: unknown;
  }>;
  readonly envFrom?: ReadonlyArray<{
    readonly configMapRef?: { readonly name: string };
    readonly secretRef?: unknown;
  }>;
  readonly ports?: ReadonlyArray<{ readonly name?: string; readonly containerPort: number }>;
  readonly volumeMounts?: ReadonlyArray<{
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
  }>;
  readonly [field: string]: unknown;
}

export function podSpec(deployment: Manifest): Record<string, unknown> {
  const spec = at(deployment, 'spec', 'template', 'spec');
  if (!isObject(spec)) throw new Error(`${deployment.metadata.name} has no pod template`);
  return spec;
}

/** The containers of a Deployment's pods, init containers first (they run first). */
export function containersOf(deployment: Manifest): Container[] {
  const pod = podSpec(deployment);
  return [...((pod.initContainers ?? []) as Container[]), ...((pod.containers ?? []) as Container[])];
}

export function container(deployment: Manifest, name: string): Container {
  const containers = (podSpec(deployment).containers ?? []) as Container[];
  const found = containers.find((c) => c.name === name);
  if (!found) throw new Error(`${deployment.metadata.name} has no container ${name}`);
  return found;
}

/**
 * The environment a container starts with: its ConfigMaps' data (envFrom, in order) and then
 * its own `env` values, which win, as in Kubernetes.
 */
export function environmentOf(manifests: readonly Manifest[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of c.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${c.name}: only envFrom configMapRef is expected`);
    const data = find(manifests, 'ConfigMap', source.configMapRef.name).data;
    Object.assign(env, data ?? {});
  }
  for (const variable of c.env ?? []) {
    if (variable.value === undefined) throw new Error(`${c.name}: ${variable.name} should be a plain value`);
    env[variable.name] = variable.value;
  }
  return env;
}

/** The Secrets of secret.example.yaml: name to key to value. */
export function exampleSecrets(): Map<string, Record<string, string>> {
  const secrets = new Map<string, Record<string, string>>();
  for (const document of readYamlDocuments(SECRET_EXAMPLE) as Manifest[]) {
    secrets.set(document.metadata.name, (document.stringData ?? {}) as Record<string, string>);
  }
  return secrets;
}

/**
 * Whether a LabelSelector (matchLabels and matchExpressions) selects these labels. An empty
 * selector, which selects every pod, does not count: the manifests always name their pods.
 */
export function matchesLabels(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = (selector.matchLabels ?? {}) as Record<string, string>;
  const expressions = (selector.matchExpressions ?? []) as Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      if (operator === 'In') return values.includes(labels[key] ?? '');
      if (operator === 'NotIn') return !values.includes(labels[key] ?? '');
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}
