import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, workerConfigSchema } from '@sms/config';
import { envVariables } from '../../scripts/env-table';
import { environmentWithExampleSecrets, secretKeyAt } from './example-secret-files';
import {
  at,
  type Container,
  container,
  environmentOf,
  find,
  RENDERINGS,
  WORKLOADS,
} from './gateway-manifests';
import type { Manifest } from './render-kustomization';

// The manifests against the code that reads them: every variable they set is one the service's
// configuration schema knows, the configuration parses with the service's own loader, and the
// ports, probes and grace periods agree with what the servers and SHUTDOWN_TIMEOUT_MS do.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8s-configuration-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cases = RENDERINGS.flatMap(([rendering, render]) => {
  const manifests = render();
  return WORKLOADS.map((workload) => {
    const deployment = find(manifests, 'Deployment', workload.deployment);
    return [rendering, workload.deployment, { workload, manifests, deployment }] as const;
  });
});

describe.each(cases)('%s: %s', (rendering, _name, { workload, manifests, deployment }) => {
  const { schema } = workload;
  const c = container(deployment, workload.container);
  const env = environmentOf(manifests, c);
  const known = new Set(Object.keys(schema.shape));
  const configOf = (): Record<string, unknown> =>
    loadConfig(schema, environmentWithExampleSecrets(manifests, deployment, c, dir));

  it('sets only variables its configuration schema reads (NAME or NAME_FILE)', () => {
    const unknown = Object.keys(env).filter((name) => !known.has(name.replace(/_FILE$/, '')));
    expect(unknown).toEqual([]);
  });

  it('sets no variable both directly and as a file', () => {
    expect(Object.keys(env).filter((name) => name.endsWith('_FILE') && name.slice(0, -5) in env)).toEqual([]);
  });

  it('sets every required variable, directly or as a file', () => {
    const required = envVariables(schema).filter((v) => v.required && v.defaultValue === undefined);
    expect(required.length).toBeGreaterThan(0);
    expect(required.map((v) => v.name).filter((name) => !(name in env) && !(`${name}_FILE` in env))).toEqual(
      [],
    );
  });

  it('reads secrets only from files of read-only Secret volumes, never from a ConfigMap', () => {
    const secretVariables = envVariables(schema).filter((v) => v.secret);
    for (const { name } of secretVariables) expect([name, name in env]).toEqual([name, false]);
    for (const [name, path] of Object.entries(env).filter(([name]) => name.endsWith('_FILE'))) {
      expect(() => secretKeyAt(deployment, c, path)).not.toThrow();
      expect(name).toMatch(/_FILE$/);
    }
  });

  it('authenticates to a Redis reached over TLS with a password read from a mounted Secret', () => {
    const config = configOf();
    const tls = String(config.REDIS_URL).startsWith('rediss://');
    expect(tls || rendering !== 'overlays/production').toBe(true);
    // rediss:// is a Redis outside the cluster (a managed one), which always asks for a password.
    if (!tls) return;
    expect(config.REDIS_PASSWORD).toEqual(expect.any(String));
    expect(secretKeyAt(deployment, c, env.REDIS_PASSWORD_FILE ?? '')).toEqual({
      secret: 'sms-redis',
      key: 'password',
    });
  });

  it('parses with the service’s loader, given the Secrets of secret.example.yaml', () => {
    expect(() => configOf()).not.toThrow();
  });

  it('exposes the configured ports under the names the probes, the Service and the monitor use', () => {
    const config = configOf();
    const port = config[workload.portVariable];
    const metricsPort = config[workload.metricsPortVariable];
    const ports = [
      { name: workload.portName, containerPort: port },
      { name: workload.metricsPortName, containerPort: metricsPort },
    ];
    expect(c.ports).toEqual(ports.filter((p, i) => ports.findIndex((q) => q.name === p.name) === i));
    const service = find(manifests, 'Service', workload.deployment);
    const servicePorts = at(service, 'spec', 'ports') as Array<{ name: string; targetPort: string | number }>;
    for (const { targetPort } of servicePorts)
      expect([port, metricsPort]).toContain(containerPort(c, targetPort));
    const endpoints = at(
      find(manifests, 'ServiceMonitor', workload.deployment),
      'spec',
      'endpoints',
    ) as Array<{
      port: string;
      path: string;
    }>;
    const scraped = (name: string) => containerPort(c, servicePorts.find((p) => p.name === name)!.targetPort);
    expect(endpoints.map((e) => [scraped(e.port), e.path])).toEqual([[metricsPort, '/metrics']]);
  });

  it('probes readiness on its ready path and liveness and start-up on its health path, on that port', () => {
    const port = configOf()[workload.portVariable];
    const { health, ready } = workload.probePaths;
    const probe = (name: string) => {
      const httpGet = at(c, name, 'httpGet') as { path: string; port: string | number };
      return { path: httpGet.path, port: containerPort(c, httpGet.port) };
    };
    expect(probe('readinessProbe')).toEqual({ path: ready, port });
    expect(probe('livenessProbe')).toEqual({ path: health, port });
    expect(probe('startupProbe')).toEqual({ path: health, port });
  });

  it('gives SIGTERM more time than the preStop sleep plus SHUTDOWN_TIMEOUT_MS', () => {
    const grace = at(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') as number;
    expect(grace).toBeGreaterThan((configOf().SHUTDOWN_TIMEOUT_MS as number) / 1000 + preStopSeconds(c));
  });
});

describe.each(cases.filter(([, name]) => name === 'sms-worker'))('%s: %s', (_rendering, _name, worker) => {
  it('lets a call to Kaarai in flight at SIGTERM end before the shutdown timeout', () => {
    const { manifests, deployment } = worker;
    const env = environmentWithExampleSecrets(manifests, deployment, container(deployment, 'worker'), dir);
    const config = loadConfig(workerConfigSchema, env);
    expect(config.KAARAI_TIMEOUT_MS).toBeLessThan(config.SHUTDOWN_TIMEOUT_MS);
  });
});

describe.each(cases.filter(([, name]) => name === 'sms-api'))(
  '%s: %s',
  (_rendering, _name, { deployment }) => {
    it('sleeps in preStop, so that endpoints drain before the API stops accepting', () => {
      expect(preStopSeconds(container(deployment, 'api'))).toBeGreaterThanOrEqual(3);
    });
  },
);

function containerPort(c: Container, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Seconds a container's preStop hook sleeps: `exec: sleep N`, the `sleep` action, or none. */
function preStopSeconds(c: Container): number {
  const preStop = at(c, 'lifecycle', 'preStop') as Manifest['spec'];
  if (preStop === undefined) return 0;
  const seconds = at(preStop, 'sleep', 'seconds');
  if (typeof seconds === 'number') return seconds;
  const command = at(preStop, 'exec', 'command') as string[] | undefined;
  if (command?.length === 2 && command[0] === 'sleep' && /^\d+$/.test(command[1]!)) return Number(command[1]);
  throw new Error(`${c.name}: a preStop hook this test cannot time: ${JSON.stringify(preStop)}`);
}
