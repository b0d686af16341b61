import { enqueueSms } from '@sms/queue';
import { type RunningSimulator, startRedis, startSimulator, type TestRedis, waitFor } from '@sms/testing';
import { startWorker, type WorkerUnderTest } from './start-worker';

// Each test gives its messages unique texts and counts them in the simulator's record:
// delivered once, never duplicated, never lost.
let redis: TestRedis;
let simulator: RunningSimulator;
let worker: WorkerUnderTest;
let sequence = 0;
const uniqueText = (label: string) => `${label} #${++sequence} ${Date.now()}`;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  worker = await startWorker(redis.url, {
    kaaraiUrl: simulator.httpsUrl!,
    ca: simulator.ca!,
    timeoutMs: 1_000,
  });
});
afterAll(async () => {
  await worker?.stop();
  await simulator?.stop();
  await redis?.stop();
});
afterEach(async () => {
  await simulator.admin.clearFaults();
  await simulator.admin.setSettings({
    password: 'secret',
    blockedPrefixes: [],
    queuedShare: 0,
    bodyStyle: 'json',
  });
});

const finalStatus = (id: string) =>
  waitFor(
    async () => {
      const record = await worker.statusStore.read(id);
      return record && !['queued', 'sending', 'retrying'].includes(record.status) ? record : undefined;
    },
    { timeoutMs: 20_000, description: `a final status of ${id}` },
  );

// The worker writes the final status before the dead letter, so a test that has seen the
// status waits for the entry too.
const deadLetterOf = (id: string) =>
  waitFor(async () => (await worker.deadLetterQueue.getJob(id))?.data, {
    timeoutMs: 20_000,
    description: `the dead letter of ${id}`,
  });

it('delivers a message over TLS exactly once and records it as accepted', async () => {
  const text = uniqueText('hello');
  const id = await worker.send({ to: '573001234567', from: 'ACME', text });
  const record = await finalStatus(id);
  expect(record).toMatchObject({ status: 'accepted', attempts: 1, lastCode: 2020, client: 'billing' });
  const received = await simulator.admin.messages({ to: '573001234567' });
  expect(received.filter((m) => m.text === text)).toEqual([
    expect.objectContaining({ to: '573001234567', from: 'ACME', text, authUser: 'gateway' }),
  ]);
});

it('delivers once after two 5030 answers, on the third attempt', async () => {
  await simulator.admin.setFaults({ failNext: 2 });
  const text = uniqueText('retried');
  const id = await worker.send({ to: '573001234568', text });
  const record = await finalStatus(id);
  expect(record).toMatchObject({ status: 'accepted', attempts: 3, lastCode: 2020 });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [], lost: [] });
  const metrics = await worker.metrics.registry.getSingleMetricAsString('sms_messages_retried_total');
  expect(metrics).toMatch(/sms_messages_retried_total\{reason="5030"\} [2-9]/);
  const attempts = await worker.metrics.deliveryAttempts.get();
  const sumBefore = attempts.values.find((v) => v.metricName === 'sms_delivery_attempts_sum')?.value ?? 0;
  expect(sumBefore).toBeGreaterThanOrEqual(3);
  const latency = await worker.metrics.deliveryLatency.get();
  expect(
    latency.values.find((v) => v.metricName === 'sms_delivery_latency_seconds_count')?.value,
  ).toBeGreaterThan(0);
});

it('dead-letters 4031 at once with its reason, having sent it exactly once', async () => {
  await simulator.admin.setSettings({ blockedPrefixes: ['999'] });
  const before = (await simulator.admin.stats()).answers['4031'] ?? 0;
  const id = await worker.send({ to: '9991234567', text: uniqueText('blocked') });
  const record = await finalStatus(id);
  expect(record).toMatchObject({ status: 'dead_lettered', attempts: 1, lastCode: 4031 });

  const entry = await deadLetterOf(id);
  expect(entry).toMatchObject({ reason: 'rejected', code: 4031, attempts: 1, to: '9991234567' });
  expect(entry.message).toContain('Not routable');
  expect((await simulator.admin.stats()).answers['4031']).toBe(before + 1);
  // Nothing left that could be retried: the job is gone from every state of the send queue.
  expect(await worker.queue.getJob(id)).toBeUndefined();
});

it('gives a message up as failed, kept in the dead-letter queue, when every attempt fails', async () => {
  await simulator.admin.setFaults({ failNext: 3 });
  const id = await worker.send({ to: '573001234569', text: uniqueText('exhausted') }, 3);
  const record = await finalStatus(id);
  expect(record).toMatchObject({ status: 'failed', attempts: 3, lastCode: 5030 });
  expect(await deadLetterOf(id)).toMatchObject({
    reason: 'retries_exhausted',
    code: 5030,
  });
});

it('records 2021 as accepted_queued', async () => {
  await simulator.admin.setSettings({ queuedShare: 1 });
  const id = await worker.send({ to: '573001234570', text: uniqueText('queued') });
  expect(await finalStatus(id)).toMatchObject({ status: 'accepted_queued', lastCode: 2021 });
});

it.each(['text', 'empty'] as const)('understands a %s answer body', async (bodyStyle) => {
  await simulator.admin.setSettings({ bodyStyle });
  const id = await worker.send({ to: '573001234571', text: uniqueText(`body ${bodyStyle}`) });
  expect(await finalStatus(id)).toMatchObject({ status: 'accepted', lastCode: 2020 });
});

it('retries a call that timed out, counting it as an unknown outcome', async () => {
  await simulator.admin.setFaults({ hangNext: 1 });
  const text = uniqueText('hung');
  const id = await worker.send({ to: '573001234572', text });
  expect(await finalStatus(id)).toMatchObject({ status: 'accepted', attempts: 2 });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [] });
  const metric = await worker.metrics.registry.getSingleMetricAsString('sms_provider_unknown_outcomes_total');
  expect(metric).toMatch(/sms_provider_unknown_outcomes_total [1-9]/);
});

it('holds sending on 4030 without using up attempts, and delivers once the password is right', async () => {
  await simulator.admin.setSettings({ password: 'rotated' });
  const text = uniqueText('held');
  const id = await worker.send({ to: '573001234573', text }, 2);
  await waitFor(async () => ((await simulator.admin.stats()).answers['4030'] ?? 0) >= 2, {
    description: 'two refused attempts',
  });
  // The second refusal is counted by the simulator before the worker has written it back.
  const held = await waitFor(
    async () => {
      const record = await worker.statusStore.read(id);
      return record?.status === 'queued' && record;
    },
    { description: 'the held message back in the queue' },
  );
  expect(held).toMatchObject({ status: 'queued', lastCode: 4030 });
  expect(await worker.deadLetterQueue.getJob(id)).toBeUndefined();

  await simulator.admin.setSettings({ password: 'secret' });
  expect(await finalStatus(id)).toMatchObject({ status: 'accepted' });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [] });
});

it('keeps a final status record only for the retention time', async () => {
  const id = await worker.send({ to: '573001234574', text: uniqueText('retention') });
  await finalStatus(id);
  const ttl = await worker.redis.ttl(worker.statusStore.key(id));
  expect(ttl).toBeGreaterThan(3500);
  expect(ttl).toBeLessThanOrEqual(3600);
});

it('never sends a message past its validity: it ends expired in the dead-letter queue', async () => {
  const text = uniqueText('stale one-time password');
  const id = await worker.send({ to: '573001234575', text }, 5, Date.now() - 1);
  expect(await finalStatus(id)).toMatchObject({ status: 'expired', attempts: 0 });
  expect(await deadLetterOf(id)).toMatchObject({ reason: 'expired' });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 0, lost: [text] });
});

it('rides out an outage longer than the retry budget: all delivered once, none dead-lettered', async () => {
  // Budget: 3 attempts 10-50 ms apart, far shorter than the 3 s outage; only the circuit
  // breaker (it opens after 20 calls, half of them failed) keeps the messages' attempts.
  await simulator.admin.setFaults({ outageMs: 3_000 });
  const texts = Array.from({ length: 40 }, () => uniqueText('outage'));
  const ids = await Promise.all(
    texts.map((text, i) => worker.send({ to: `5730012${String(10_000 + i)}`, text }, 3)),
  );
  await waitFor(async () => (await worker.gate.state()).state === 'circuit_open', {
    description: 'the circuit to open',
  });

  const records = await Promise.all(ids.map(finalStatus));
  expect(records.map((r) => r.status)).toEqual(ids.map(() => 'accepted'));
  expect(await simulator.admin.tally(texts)).toMatchObject({ delivered: 40, duplicated: [], lost: [] });
  for (const id of ids) expect(await worker.deadLetterQueue.getJob(id)).toBeUndefined();
  expect(await worker.gate.state()).toEqual({ state: 'open' });
}, 60_000);

it('does not send again a message whose status is already final (a redelivered job)', async () => {
  const text = uniqueText('redelivered');
  const id = await worker.send({ to: '573001234576', text });
  await finalStatus(id);
  const jobGone = () =>
    waitFor(async () => (await worker.queue.getJob(id)) === undefined, {
      description: 'the job to be removed',
    });
  await jobGone();
  // What a stalled job's redelivery looks like: the same job id back in the queue.
  const data = { to: '573001234576', text, client: 'billing', acceptedAt: Date.now() };
  await enqueueSms(worker.queue, id, data, { attempts: 3 });
  await jobGone();
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [] });
  expect(await worker.statusStore.read(id)).toMatchObject({ status: 'accepted', attempts: 1 });
});
