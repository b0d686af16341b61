import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@sms/config';
import { environmentWithExampleSecrets } from './example-secret-files';
import { allOfKind, at, container, find, matchesLabels, RENDERINGS, WORKLOADS } from './gateway-manifests';
import type { Manifest } from './render-kustomization';

// What the NetworkPolicies let in and out of each pod, taken together (policies add up): the
// API is reached by client namespaces and Prometheus; a worker and an archiver only by
// Prometheus; out of them go DNS, Redis on REDIS_URL's port, PostgreSQL on DATABASE_URL's for
// those that have one and, for the worker alone, HTTPS to Kaarai.

interface Peer {
  readonly namespaceSelector?: unknown;
  readonly podSelector?: unknown;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
interface Rule {
  readonly from?: readonly Peer[];
  readonly to?: readonly Peer[];
  readonly ports?: ReadonlyArray<{ readonly port: number | string; readonly protocol?: string }>;
}

const PROMETHEUS: Peer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};
const CLIENTS: Peer = { namespaceSelector: { matchLabels: { 'sms-gateway/client': 'true' } } };
const DNS: Peer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

const isPrometheus = (peer: Peer) => JSON.stringify(peer) === JSON.stringify(PROMETHEUS);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'network-policies-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cases = RENDERINGS.flatMap(([rendering, render]) => {
  const manifests = render();
  return WORKLOADS.map((workload) => [rendering, workload.deployment, { workload, manifests }] as const);
});

describe.each(cases)('%s: %s', (_rendering, _name, { workload, manifests }) => {
  const deployment = find(manifests, 'Deployment', workload.deployment);
  const c = container(deployment, workload.container);
  const podLabels = at(deployment, 'spec', 'template', 'metadata', 'labels') as Record<string, string>;
  const policies = allOfKind(manifests, 'NetworkPolicy').filter((p) =>
    matchesLabels(at(p, 'spec', 'podSelector'), podLabels),
  );
  const rules = (direction: 'Ingress' | 'Egress'): Rule[] =>
    policies
      .filter((p) => (at(p, 'spec', 'policyTypes') as string[]).includes(direction))
      .flatMap((p) => (at(p, 'spec', direction === 'Ingress' ? 'ingress' : 'egress') ?? []) as Rule[]);
  const config = () =>
    loadConfig(workload.schema, environmentWithExampleSecrets(manifests, deployment, c, dir)) as Record<
      string,
      unknown
    >;
  const portNumber = (port: number | string) =>
    typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
  const portsOf = (rule: Rule) =>
    (rule.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${portNumber(p.port)}`);

  it('denies by default: some policy governs both its ingress and its egress', () => {
    const types = policies.flatMap((p) => at(p, 'spec', 'policyTypes') as string[]);
    expect(types).toContain('Ingress');
    expect(types).toContain('Egress');
  });

  it('lets in only its callers: clients on the clients’ port, Prometheus on the one it scrapes', () => {
    const port = `TCP/${config()[workload.portVariable]}`;
    const metricsPort = `TCP/${config()[workload.metricsPortVariable]}`;
    const expected =
      workload.deployment === 'sms-api'
        ? [
            [CLIENTS, [port]],
            [PROMETHEUS, [metricsPort]],
          ]
        : [[PROMETHEUS, [metricsPort]]];
    const ingress = rules('Ingress');
    expect(ingress.flatMap((rule) => (rule.from ?? []).map((peer) => [peer, portsOf(rule)]))).toEqual(
      expected,
    );
  });

  it('keeps clients off /metrics and the operators’ routes: no client reaches the scraped port', () => {
    if (workload.metricsPortVariable === workload.portVariable) return;
    const metricsPort = `TCP/${config()[workload.metricsPortVariable]}`;
    const reachable = rules('Ingress')
      .filter((rule) => (rule.from ?? []).some((peer) => !isPrometheus(peer)))
      .flatMap(portsOf);
    expect(reachable).not.toContain(metricsPort);
  });

  it('lets out DNS, Redis on the port of REDIS_URL, PostgreSQL on that of DATABASE_URL and, from the worker, Kaarai on the port of KAARAI_URL', () => {
    const redis = new URL(config().REDIS_URL as string);
    const allowed = ['UDP/53', 'TCP/53', `TCP/${redis.port || 6379}`];
    const database = config().DATABASE_URL as string | undefined;
    if (database !== undefined) allowed.push(`TCP/${new URL(database).port || 5432}`);
    if (workload.deployment === 'sms-worker') {
      const kaarai = new URL(config().KAARAI_URL as string);
      allowed.push(`TCP/${kaarai.port || (kaarai.protocol === 'https:' ? 443 : 80)}`);
    }
    const egress = rules('Egress');
    expect(egress.flatMap(portsOf).sort()).toEqual(allowed.sort());
    expect(egress.every((rule) => (rule.to ?? []).length > 0)).toBe(true);
    const dns = egress.filter((rule) => portsOf(rule).includes('UDP/53'));
    expect(dns.flatMap((rule) => rule.to)).toEqual([DNS]);
  });

  it('reaches Kaarai only outside the private address ranges, so not the cluster’s own services', () => {
    const https = rules('Egress').filter((rule) => portsOf(rule).includes('TCP/443'));
    for (const peer of https.flatMap((rule) => rule.to ?? [])) {
      expect(peer.ipBlock?.except).toEqual(
        expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']),
      );
    }
  });
});

describe.each(RENDERINGS.map(([name, render]) => [name, render()] as const))('%s', (_name, manifests) => {
  it('scopes each policy to the gateway’s pods', () => {
    const podLabels = allOfKind(manifests, 'Deployment').map(
      (d) => at(d, 'spec', 'template', 'metadata', 'labels') as Record<string, string>,
    );
    for (const policy of allOfKind(manifests, 'NetworkPolicy') as Manifest[]) {
      const selected = podLabels.filter((labels) => matchesLabels(at(policy, 'spec', 'podSelector'), labels));
      expect([policy.metadata.name, selected.length > 0]).toEqual([policy.metadata.name, true]);
    }
  });
});
