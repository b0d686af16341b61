import { randomUUID } from 'node:crypto';
import {
  type ApiProcess,
  queueJobCounts,
  type RunningSimulator,
  startApiProcess,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';

// The batch route and the Kaarai entry, end to end: an API process and a worker process on a
// real Redis, the simulator as Kaarai over HTTPS. Load: one batch of 200 messages (10 of them
// invalid) and 5 messages through the Kaarai entry. Invariant, counted in the simulator's record:
// every accepted message is delivered exactly once, no refused one is ever sent, and repeating
// the batch with its Idempotency-Key after delivery sends nothing again.
let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let worker: WorkerProcess;
const prefix = `d${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  [api, worker] = await Promise.all([
    startApiProcess({ redisUrl: redis.url, prefix }),
    startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
    }),
  ]);
  await worker.ready();
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await simulator?.stop();
  await redis?.stop();
});

const run = randomUUID().slice(0, 8);

/** Waits until the simulator has recorded every one of `texts`, and returns how often each. */
async function delivered(texts: readonly string[]): Promise<Map<string, number>> {
  return waitFor(
    async () => {
      const counts = await simulator.admin.countBy('text');
      return texts.every((text) => counts.has(text)) ? counts : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: 'every accepted message to reach the simulator' },
  );
}

it('delivers every accepted message of a batch once, never a refused one, and not again on a repeat', async () => {
  const valid = Array.from({ length: 190 }, (_, i) => `batch ${run} #${i}`);
  const invalid = Array.from({ length: 10 }, (_, i) => `refused ${run} #${i}`);
  const messages = [
    ...valid.map((text) => ({ to: '573001234567', text })),
    ...invalid.map((text) => ({ to: '12345', text })),
  ];
  const key = randomUUID();
  const post = () =>
    fetch(`${api.url}/v1/sms/batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ messages }),
    });
  const first = await post();
  expect(first.status).toBe(202);
  const answer = (await first.json()) as { accepted: number; messages: Array<{ id?: string }> };
  expect(answer.accepted).toBe(190);

  const counts = await delivered(valid);
  expect(valid.filter((text) => counts.get(text) !== 1)).toEqual([]);
  expect(invalid.filter((text) => counts.has(text))).toEqual([]);
  const ids = answer.messages.flatMap((m) => (m.id === undefined ? [] : [m.id]));
  await waitFor(
    async () => (await Promise.all(ids.map((id) => api.status(id)))).every((v) => v.status === 'accepted'),
    {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'every message to read accepted',
    },
  );

  const again = await post();
  expect(again.status).toBe(202);
  expect(again.headers.get('idempotency-replayed')).toBe('true');
  expect(((await again.json()) as { messages: unknown }).messages).toEqual(answer.messages);
  // The repeat found every message final, so it added no job: nothing can be sent twice.
  expect((await queueJobCounts(redis.url, prefix, 'sms')).total).toBe(0);
  expect(valid.filter((text) => (counts.get(text) ?? 0) !== 1)).toEqual([]);
});

it('delivers the messages taken by the Kaarai entry', async () => {
  const texts = Array.from({ length: 5 }, (_, i) => `kaarai entry ${run} #${i}`);
  const basic = Buffer.from(`faults:${api.apiKey}`).toString('base64');
  for (const text of texts) {
    const res = await fetch(`${api.url}/kaarai/api/v1/sms/send`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '573001234567', from: '85000', text }),
    });
    expect([res.status, await res.json()]).toEqual([
      202,
      { code: 2021, message: 'Queued for later delivery' },
    ]);
  }
  const counts = await delivered(texts);
  expect(texts.map((text) => counts.get(text))).toEqual([1, 1, 1, 1, 1]);
  const recorded = await simulator.admin.messages();
  expect(recorded.filter((m) => texts.includes(m.text)).map((m) => m.from)).toEqual(Array(5).fill('85000'));
});
