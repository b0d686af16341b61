import { startRedis, type TestRedis } from '@sms/testing';
import { OTHER_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// The delivery mode of a message: asked for in the request, or the client's default
// (CLIENT_DELIVERY_MODES), carried in the job for the worker and shown in every answer about
// the message. On a real Redis, with no worker.
let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  // `billing` (TEST_KEY) has no default; `marketing` (OTHER_KEY) sends at most once.
  api = await startApi(redis.url, { deliveryModes: new Map([['marketing', 'at-most-once']]) });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const TO = '573001234567';

async function post(path: string, body: unknown, key = TEST_KEY) {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function accepted(body: Record<string, unknown>, key?: string) {
  const res = await post('/v1/sms', body, key);
  expect(res.status).toBe(202);
  const answer = (await res.json()) as { id: string; delivery: string };
  const job = await api.queue.getJob(answer.id);
  const view = (await (await api.get(`/v1/sms/${answer.id}`, key)).json()) as { delivery: string };
  return { answer: answer.delivery, job: job?.data.delivery, view: view.delivery };
}

it.each([
  ['a client without a default, asking for nothing', {}, TEST_KEY, 'at-least-once', undefined],
  [
    'a client without a default, asking at most once',
    { delivery: 'at-most-once' },
    TEST_KEY,
    'at-most-once',
    'at-most-once',
  ],
  ['a client whose default is at most once', {}, OTHER_KEY, 'at-most-once', 'at-most-once'],
  ['that client, asking at least once', { delivery: 'at-least-once' }, OTHER_KEY, 'at-least-once', undefined],
] as const)('answers and records the mode of %s', async (_name, options, key, shown, inJob) => {
  expect(await accepted({ to: TO, text: 'hi', ...options }, key)).toEqual({
    answer: shown,
    job: inJob,
    view: shown,
  });
});

it('refuses an unknown mode with 4020, naming the field and the modes', async () => {
  const res = await post('/v1/sms', { to: TO, text: 'hi', delivery: 'exactly-once' });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({
    code: 4020,
    field: 'delivery',
    message: '"delivery" must be one of at-least-once, at-most-once',
  });
});

it('takes the mode per message of a batch, the client default for the others', async () => {
  const res = await post(
    '/v1/sms/batch',
    {
      messages: [
        { to: TO, text: 'a', delivery: 'at-least-once' },
        { to: TO, text: 'b' },
      ],
    },
    OTHER_KEY,
  );
  expect(res.status).toBe(202);
  const { messages: results } = (await res.json()) as { messages: { id: string; delivery: string }[] };
  expect(results.map((r) => r.delivery)).toEqual(['at-least-once', 'at-most-once']);
  const jobs = await Promise.all(results.map((r) => api.queue.getJob(r.id)));
  expect(jobs.map((job) => job?.data.delivery)).toEqual([undefined, 'at-most-once']);
});

it('gives a message of the Kaarai-compatible entry its client default', async () => {
  const res = await fetch(`${api.url}/kaarai/api/v1/sms/send`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`marketing:${OTHER_KEY}`).toString('base64')}`,
    },
    body: JSON.stringify({ to: TO, text: 'via the Kaarai entry' }),
  });
  expect(res.status).toBe(202);
  const [job] = (await api.queue.getJobs(['wait'])).filter((j) => j.data.text === 'via the Kaarai entry');
  expect(job?.data.delivery).toBe('at-most-once');
});
