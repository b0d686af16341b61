import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ArchiveReader, createArchivePool } from '@sms/archive';
import {
  type RedisServer,
  startApiProcess,
  startPostgres,
  startRedisServer,
  startWorkerProcess,
} from '@sms/testing';
import { Redis } from 'ioredis';
import { environmentWithExampleSecrets } from './example-secret-files';
import {
  at,
  type Container,
  container,
  exampleSecrets,
  find,
  podSpec,
  RENDERINGS,
} from './gateway-manifests';
import type { Manifest } from './render-kustomization';

// The real API and worker processes, started with the environment overlays/production gives
// them (secrets read from files, as mounted), answer every path the probes and the
// ServiceMonitors use, and stop on SIGTERM within their grace period. Only what cannot be the
// same outside a cluster is replaced: Redis (a local one, asking for the password of the example
// Secret sms-redis), the listening port (a free one) and the key prefix (one per test).

const manifests = RENDERINGS.find(([name]) => name === 'overlays/production')![1]();
const LOCAL = ['REDIS_URL', 'QUEUE_PREFIX', 'API_PORT', 'ADMIN_PORT', 'ADMIN_HOST', 'WORKER_HTTP_PORT'];

let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  redis = await startRedisServer();
  // Like the managed Redis, which refuses a client that does not authenticate.
  const admin = new Redis(redis.url);
  await admin.config('SET', 'requirepass', exampleSecrets().get('sms-redis')!.password!);
  admin.disconnect();
  dir = mkdtempSync(join(tmpdir(), 'services-start-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function environment(deployment: Manifest, c: Container): Record<string, string> {
  const env = environmentWithExampleSecrets(manifests, deployment, c, dir);
  for (const name of LOCAL) delete env[name];
  return env;
}

/** The HTTP paths the kubelet requests from this container. */
function probedPaths(c: Container): string[] {
  const probes = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((p) => at(c, p, 'httpGet', 'path'));
  return [...new Set(probes as string[])];
}

/** The HTTP paths Prometheus requests from this container. */
function scrapedPaths(deployment: Manifest): string[] {
  const monitor = find(manifests, 'ServiceMonitor', deployment.metadata.name);
  return (at(monitor, 'spec', 'endpoints') as Array<{ path: string }>).map((e) => e.path);
}

const ok = (paths: readonly string[]) => Object.fromEntries(paths.map((p) => [p, 200]));

function graceMs(deployment: Manifest): number {
  return (at(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') as number) * 1000;
}

async function statuses(baseUrl: string, paths: readonly string[]): Promise<Record<string, number>> {
  const answers = await Promise.all(paths.map(async (path) => [path, (await fetch(baseUrl + path)).status]));
  return Object.fromEntries(answers);
}

it('the API answers its probes and its scrape, and stops in time on SIGTERM', async () => {
  const deployment = find(manifests, 'Deployment', 'sms-api');
  const c = container(deployment, 'api');
  const env = environment(deployment, c);
  // The helper gives the API a key of its own; an empty variable counts as unset, so the
  // mounted API_KEYS_FILE is what the API reads.
  const api = await startApiProcess({
    redisUrl: redis.url,
    prefix: `k${randomUUID().slice(0, 8)}`,
    env: { API_KEYS: '', ...env },
  });
  try {
    const [probed, scraped] = [probedPaths(c), scrapedPaths(deployment)];
    expect(probed.sort()).toEqual(['/healthz', '/readyz']);
    expect(await statuses(api.url, probed)).toEqual(ok(probed));
    // Scraped on the internal port, which the client port never serves.
    expect(scraped).toEqual(['/metrics']);
    expect(await statuses(api.adminUrl, scraped)).toEqual(ok(scraped));
    expect(await statuses(api.url, scraped)).toEqual({ '/metrics': 404 });
    // The keys of secret.example.yaml are the ones it accepts.
    const key = 'replace-with-a-random-key-0001';
    const answer = await fetch(`${api.url}/v1/sms/unknown`, { headers: { authorization: `Bearer ${key}` } });
    expect(answer.status).toBe(404);
  } finally {
    const stopped = await api.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.elapsedMs).toBeLessThan(graceMs(deployment));
  }
});

it('the worker answers its probes and its scrape, and stops in time on SIGTERM', async () => {
  const deployment = find(manifests, 'Deployment', 'sms-worker');
  const c = container(deployment, 'worker');
  const env = environment(deployment, c);
  const worker = await startWorkerProcess({
    redisUrl: redis.url,
    prefix: `k${randomUUID().slice(0, 8)}`,
    kaaraiUrl: env.KAARAI_URL!,
    env: { KAARAI_PASSWORD: '', ...env },
  });
  try {
    await worker.ready();
    const paths = [...probedPaths(c), ...scrapedPaths(deployment)];
    expect(paths.sort()).toEqual(['/healthz', '/metrics', '/readyz']);
    expect(await statuses(worker.httpUrl, paths)).toEqual(ok(paths));
    expect(await worker.metrics()).toMatch(/^sms_queue_jobs\{queue="sms",state="waiting"\} 0$/m);
  } finally {
    const stopped = await worker.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.elapsedMs).toBeLessThan(graceMs(deployment));
  }
});

it("the archiver's init container brings an empty database's schema up, with the file the Secret mounts", async () => {
  const deployment = find(manifests, 'Deployment', 'sms-archiver');
  const [migrate] = (podSpec(deployment).initContainers ?? []) as Container[];
  expect(migrate?.name).toBe('migrate');
  const postgres = await startPostgres({ migrate: false });
  const pool = createArchivePool(postgres.url);
  try {
    const env = environmentWithExampleSecrets(manifests, deployment, migrate!, dir);
    // The file the Secret would hold, naming this test's PostgreSQL instead of the example's.
    writeFileSync(env.DATABASE_URL_FILE!, `${postgres.url}\n`);
    const [node, main] = migrate!.command!;
    expect(node).toBe('node');
    // In the image `archiver/dist/migrate-main.js`; here its source, through tsx.
    const source = resolve(
      __dirname,
      '..',
      '..',
      'services',
      main!.replace('/dist/', '/src/').replace(/\.js$/, '.ts'),
    );
    await promisify(execFile)(process.execPath, ['--import', 'tsx', source], {
      cwd: resolve(__dirname, '..', '..'),
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    // The table exists: a look-up answers "absent" instead of failing.
    await expect(new ArchiveReader(pool).read(randomUUID())).resolves.toBeUndefined();
  } finally {
    await pool.end();
    await postgres.stop();
  }
});
