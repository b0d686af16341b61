import { randomUUID } from 'node:crypto';
import {
  type ApiProcess,
  startApiProcess,
  startRedis,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';
import { stringify } from 'yaml';
import { type RunningPrometheus, startPrometheus } from '../observability/start-prometheus';
import { at, find, RENDERINGS } from './gateway-manifests';

// The ScaledObject's query, evaluated by a real Prometheus that scrapes a real API over a real
// Redis. Load: an idle queue, then one message scheduled for tomorrow, then one to send now.
// Invariant: the scheduled message asks for no worker (the query gives 0), the one to send now
// does (1). The gate's series come from a real worker on a queue prefix of its own: one on the
// API's prefix would send the waiting message before Prometheus saw it wait.

const production = RENDERINGS.find(([name]) => name === 'overlays/production')![1]();
const trigger = (
  at(find(production, 'ScaledObject', 'sms-worker'), 'spec', 'triggers') as Array<{
    metadata: Record<string, string>;
  }>
)[0]!;
const NAMESPACE = 'sms-gateway';

let redis: TestRedis;
let api: ApiProcess;
let worker: WorkerProcess;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiProcess({ redisUrl: redis.url, prefix: `a${randomUUID().slice(0, 8)}` });
  worker = await startWorkerProcess({
    redisUrl: redis.url,
    prefix: `w${randomUUID().slice(0, 8)}`,
    kaaraiUrl: 'https://127.0.0.1:9/api/v1/sms/send',
  });
  await worker.ready();
  const target = (url: string) => new URL(url).host;
  // Labelled as prometheus-operator labels the ServiceMonitors' targets in the gateway's namespace.
  const job = (name: string, url: string, keep?: string) => ({
    job_name: name,
    metrics_path: '/metrics',
    static_configs: [{ targets: [target(url)], labels: { namespace: NAMESPACE } }],
    ...(keep && { metric_relabel_configs: [{ source_labels: ['__name__'], regex: keep, action: 'keep' }] }),
  });
  prometheus = await startPrometheus(
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [
        job('sms-api', api.adminUrl),
        job('sms-worker', worker.httpUrl, 'sms_sending_held|sms_circuit_open'),
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await worker?.stop();
  await api?.stop();
  await redis?.stop();
});

/** The query's one value, or undefined while it has none. */
async function evaluate(query: string): Promise<number | undefined> {
  const { result } = await prometheus.api<{ result: Array<{ value: [number, string] }> }>('query', { query });
  return result.length === 1 ? Number(result[0]!.value[1]) : undefined;
}

/** Waits until Prometheus has scraped the API's gauge of `state` at `count`. */
async function scraped(state: string, count: number): Promise<void> {
  await waitFor(
    async () =>
      (await evaluate(`max(sms_queue_jobs{job="sms-api", queue="sms", state="${state}"})`)) === count &&
      (await evaluate('max(sms_sending_held)')) === 0,
    { timeoutMs: 30_000, intervalMs: 250, description: `Prometheus to scrape ${state} = ${count}` },
  );
}

it('asks for no worker for a message scheduled for tomorrow, and for one for a message due now', async () => {
  await scraped('waiting', 0);
  expect(await evaluate(trigger.metadata.query!)).toBe(0);

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const scheduled = await api.post({ to: '573001234567', text: 'Campaign', sendAt: tomorrow });
  expect(scheduled.status).toBe(202);
  await scraped('scheduled', 1);
  expect(await evaluate(trigger.metadata.query!)).toBe(0);

  const now = await api.post({ to: '573001234567', text: 'Your code is 1234' });
  expect(now.status).toBe(202);
  await scraped('waiting', 1);
  expect(await evaluate(trigger.metadata.query!)).toBe(1);
}, 90_000);
