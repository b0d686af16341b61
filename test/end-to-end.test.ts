import { type RunningSimulator, startRedis, startSimulator, type TestRedis, waitFor } from '@sms/testing';
import { type RunningApi, startApi } from '../services/api/test/start-api';
import { startWorker, type WorkerUnderTest } from '../services/worker/test/start-worker';

// The whole path with real parts: HTTP API -> BullMQ on a real Redis -> worker -> Kaarai
// simulator over TLS. Invariant: every message answered 202 is delivered exactly once and its
// status, read back through the API, is final.
let redis: TestRedis;
let simulator: RunningSimulator;
let api: RunningApi;
let worker: WorkerUnderTest;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  api = await startApi(redis.url, { sendAttempts: 12 });
  worker = await startWorker(redis.url, {
    kaaraiUrl: simulator.httpsUrl!,
    ca: simulator.ca!,
    prefix: api.prefix,
  });
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await simulator?.stop();
  await redis?.stop();
});

const statusOf = async (id: string) =>
  (await (await api.get(`/v1/sms/${id}`)).json()) as Record<string, unknown>;

it('delivers a POSTed message to Kaarai exactly once and reports it accepted', async () => {
  const text = `end to end ${Date.now()}`;
  const res = await api.post('/v1/sms', { to: '+573001234567', from: '89123', text });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  const view = await waitFor(
    async () => {
      const v = await statusOf(id);
      return v.status === 'accepted' ? v : undefined;
    },
    { timeoutMs: 20_000, description: 'the message to be accepted' },
  );
  expect(view).toMatchObject({ id, status: 'accepted', attempts: 1, lastCode: 2020 });
  expect(view.to).toBe('5730******67');
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [], lost: [] });
  const [received] = await simulator.admin.messages({ to: '573001234567' });
  expect(received).toMatchObject({ from: '89123', text });
});

it('brings a burst of messages to a final state, each delivered once or dead-lettered', async () => {
  await simulator.admin.setSettings({ blockedPrefixes: ['999'] });
  await simulator.admin.setFaults({ failureRate: 0.3 });
  const texts = Array.from({ length: 60 }, (_, i) => `burst ${i} ${Date.now()}`);
  const ids = await Promise.all(
    texts.map(async (text, i) => {
      const to = i % 10 === 0 ? '9991234567' : `57300${String(1_000_000 + i)}`;
      const res = await api.post('/v1/sms', { to, text });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    }),
  );

  const views = await waitFor(
    async () => {
      const all = await Promise.all(ids.map(statusOf));
      return all.every((v) => ['accepted', 'dead_lettered', 'failed'].includes(String(v.status)))
        ? all
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: 'every message to reach a final state' },
  );
  await simulator.admin.clearFaults();
  const dead = views.filter((v) => v.status === 'dead_lettered');
  expect(dead).toHaveLength(6);
  expect(views.filter((v) => v.status === 'failed')).toEqual([]);
  const deliveredTexts = texts.filter((_, i) => i % 10 !== 0);
  expect(await simulator.admin.tally(deliveredTexts)).toMatchObject({
    delivered: 54,
    duplicated: [],
    lost: [],
  });
});
