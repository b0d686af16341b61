import { randomUUID } from 'node:crypto';
import { ArchiveReader, createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { StatusStore } from '@sms/status-store';
import {
  archivePastHotWindow,
  type ConnectedRedis,
  connectTestRedis,
  seedDeadLetter,
  startApiProcess,
  startPostgres,
  type TestPostgres,
} from '@sms/testing';
import pino from 'pino';
import { type CheckedAnswer, OpenApiChecker } from './check-against-openapi';
import { ADMIN_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// Past its hot window a final record lives in PostgreSQL only. Fault: Redis lets the record go
// (its keys deleted, as their expiry would) after the archiver wrote it to PostgreSQL, and then
// PostgreSQL stops. Invariant: every read answers exactly what it answered while Redis had the
// record; with PostgreSQL down, a message Redis lacks is 503 (5031), never a 404, while one
// Redis has is still answered; without DATABASE_URL nothing goes to PostgreSQL.

let redis: ConnectedRedis;
let postgres: TestPostgres;
let pool: ReturnType<typeof createArchivePool>;
let api: RunningApi;
let redisOnly: RunningApi;

beforeAll(async () => {
  [redis, postgres] = await Promise.all([connectTestRedis(), startPostgres()]);
  pool = createArchivePool(postgres.url, { connectTimeoutMs: 500 });
  api = await startApi(redis.server.url, {}, undefined, {
    archive: new ArchiveReader(pool),
    deadLetterRoutes: true,
    logger: pino({ level: 'error' }),
  });
  redisOnly = await startApi(redis.server.url, {}, api.prefix, { deadLetterRoutes: true });
});

afterAll(async () => {
  await Promise.all([api?.stop(), redisOnly?.stop()]);
  await pool?.end();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

/** A message that reached `accepted` as the worker records it, with a reference. */
async function deliveredMessage(reference: string): Promise<string> {
  const id = randomUUID();
  const createdAt = Date.now() - 60_000;
  await api.statusStore.write(
    id,
    { status: 'sending', attempts: 1, client: 'billing', to: '57300****567', createdAt, reference },
    { attempt: 1, code: 5030, outcome: 'retry', message: 'Temporal failure', at: createdAt + 1_000 },
  );
  await api.statusStore.write(
    id,
    {
      status: 'accepted',
      attempts: 2,
      lastCode: 2020,
      lastMessage: 'Accepted for delivery',
      encoding: 'GSM-7',
      segments: 1,
    },
    { attempt: 2, code: 2020, outcome: 'success', message: 'Accepted for delivery', at: createdAt + 5_000 },
  );
  await api.referenceIndex.add('billing', reference, id, { acceptedAt: createdAt });
  return id;
}

/** Archives the message as the archiver does, then lets Redis forget it as the hot window's end does. */
async function archiveAndExpire(id: string, reference?: string): Promise<void> {
  await archivePastHotWindow({ ...api, redis: redis.redis, pool }, id);
  if (reference) await redis.redis.zrem(api.referenceIndex.key('billing', reference), id);
}

async function json(res: Response): Promise<{ status: number; body: unknown }> {
  return { status: res.status, body: await res.json() };
}

type OpenApiDocument = ConstructorParameters<typeof OpenApiChecker>[0];

const documentOf = async (target: RunningApi) =>
  (await (await target.get('/openapi.json')).json()) as OpenApiDocument;

const headers = { authorization: `Bearer ${TEST_KEY}` };

const admin = (target: RunningApi, path: string) =>
  fetch(target.adminUrl + path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });

it('answers a message, its reference and its cancel from PostgreSQL exactly as from Redis, once Redis lets it go', async () => {
  const reference = `order-${randomUUID().slice(0, 8)}`;
  const archived = await deliveredMessage(reference);
  const hot = await deliveredMessage(reference);
  const cancel = async (id: string) => {
    const { status, body } = await json(
      await fetch(`${api.url}/v1/sms/${id}`, { method: 'DELETE', headers }),
    );
    // The request id differs from call to call; the rest of the refusal must not.
    return { status, body: { ...(body as object), requestId: undefined } };
  };
  const before = {
    archived: await json(await api.get(`/v1/sms/${archived}`)),
    hot: await json(await api.get(`/v1/sms/${hot}`)),
    reference: await json(await api.get(`/v1/sms?reference=${reference}`)),
    cancel: await cancel(archived),
  };
  expect(before.cancel).toMatchObject({ status: 409, body: { code: 4092 } });
  expect(before.archived.status).toBe(200);
  expect((before.reference.body as { messages: unknown[] }).messages).toHaveLength(2);

  await archiveAndExpire(archived, reference);

  expect(await json(await api.get(`/v1/sms/${archived}`))).toEqual(before.archived);
  expect(await json(await api.get(`/v1/sms/${hot}`))).toEqual(before.hot);
  expect(await json(await api.get(`/v1/sms?reference=${reference}`))).toEqual(before.reference);
  expect(await cancel(archived)).toEqual(before.cancel);
  // Another client's message stays unknown, in the archive as in Redis.
  expect((await api.get(`/v1/sms/${archived}`, 'other-key-0123456789abcdef')).status).toBe(404);
});

it('shows a dead letter whose record only PostgreSQL still has, status and history as before', async () => {
  const id = await seedDeadLetter({ deadLetterQueue: api.deadLetterQueue, statusStore: api.statusStore });
  const before = await json(await admin(api, `/v1/admin/dead-letters/${id}`));
  expect(before.body).toMatchObject({ status: { status: 'dead_lettered' }, history: [{ attempt: 1 }] });

  await archiveAndExpire(id);

  expect(await json(await admin(api, `/v1/admin/dead-letters/${id}`))).toEqual(before);
});

it('replays a dead letter past its hot window with its whole history, as one still in Redis', async () => {
  const id = await seedDeadLetter({ deadLetterQueue: api.deadLetterQueue, statusStore: api.statusStore });
  const history = await api.statusStore.attempts(id);
  await archiveAndExpire(id);

  const replay = await fetch(`${api.adminUrl}/v1/admin/dead-letters/${id}/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(replay.status).toBe(200);
  expect(await api.statusStore.read(id)).toMatchObject({ status: 'queued', attempts: 1 });
  expect(await api.statusStore.attempts(id)).toEqual([
    ...history,
    expect.objectContaining({ attempt: 1, outcome: 'replayed' }),
  ]);
});

it('answers 5031 within the request time while PostgreSQL stops answering, and the message once it answers again', async () => {
  const id = await deliveredMessage(`order-${randomUUID().slice(0, 8)}`);
  const before = await json(await api.get(`/v1/sms/${id}`));
  await archiveAndExpire(id);
  postgres.freeze();
  try {
    const started = performance.now();
    const res = await api.get(`/v1/sms/${id}`);
    expect(await json(res)).toMatchObject({ status: 503, body: { code: 5031 } });
    // Within the request's 1 s for Redis, which would have answered 5030.
    expect(performance.now() - started).toBeLessThan(1_000);
  } finally {
    postgres.thaw();
  }
  expect(await json(await api.get(`/v1/sms/${id}`))).toEqual(before);
});

it('answers a repeated request with the archived message, never sending it again', async () => {
  const key = randomUUID();
  const send = () => api.post('/v1/sms', { to: '573001234567', text: 'once' }, { 'idempotency-key': key });
  const first = (await (await send()).json()) as { id: string };
  // The worker's part: the message delivered, its job gone, its record final.
  await api.queue.remove(first.id);
  await api.statusStore.write(
    first.id,
    { status: 'accepted', attempts: 1, client: 'billing', to: '57300****567', createdAt: Date.now() },
    { attempt: 1, code: 2020, outcome: 'success', message: 'Accepted for delivery', at: Date.now() },
  );
  await archiveAndExpire(first.id);

  const repeat = await send();
  expect(repeat.headers.get('idempotency-replayed')).toBe('true');
  expect(await repeat.json()).toMatchObject({ id: first.id });
  expect(await api.queue.getJob(first.id)).toBeUndefined();
});

it('main.ts reads through with DATABASE_URL and stays ready while PostgreSQL is down', async () => {
  const queuePrefix = `p${randomUUID().slice(0, 8)}`;
  const prefix = redisKeyPrefix(queuePrefix);
  const statusStore = new StatusStore(redis.redis, { prefix });
  const service = await startApiProcess({
    redisUrl: redis.server.url,
    prefix: queuePrefix,
    env: { DATABASE_URL: postgres.url },
  });
  try {
    const id = randomUUID();
    await statusStore.write(
      id,
      { status: 'accepted', attempts: 1, client: 'faults', to: '57300****567', createdAt: Date.now() },
      { attempt: 1, code: 2020, outcome: 'success', message: 'Accepted for delivery', at: Date.now() },
    );
    const before = await json(await service.get(`/v1/sms/${id}`));
    expect(before.status).toBe(200);
    await archivePastHotWindow({ redis: redis.redis, statusStore, pool }, id);
    expect(await json(await service.get(`/v1/sms/${id}`))).toEqual(before);

    await postgres.stopServer();
    try {
      expect(await json(await service.get(`/v1/sms/${id}`))).toMatchObject({
        status: 503,
        body: { code: 5031 },
      });
      expect(await json(await fetch(`${service.url}/readyz`))).toEqual({
        status: 200,
        body: { status: 'ready', redis: 'ok' },
      });
    } finally {
      await postgres.startServer();
    }
  } finally {
    await service.stop();
  }
});

describe('while PostgreSQL is down', () => {
  let archived: string;
  let hot: string;
  let reference: string;
  const repeated = { key: randomUUID(), body: { to: '573001234567', text: 'repeated' } };
  let stopped = false;

  beforeAll(async () => {
    reference = `order-${randomUUID().slice(0, 8)}`;
    archived = await deliveredMessage(reference);
    hot = await deliveredMessage(`${reference}-hot`);
    await archiveAndExpire(archived, reference);
    // A message whose job is gone and whose record Redis does not have: its repeat must ask the archive.
    const first = await api.post('/v1/sms', repeated.body, { 'idempotency-key': repeated.key });
    await api.queue.remove(((await first.json()) as { id: string }).id);
    await postgres.stopServer();
    stopped = true;
  });

  afterAll(async () => {
    if (stopped) await postgres.startServer();
  });

  it('answers 503 (5031) with Retry-After for a message Redis no longer has, a repeat included, as the document says', async () => {
    const checker = new OpenApiChecker(await documentOf(api));
    const answers: CheckedAnswer[] = [];
    for (const path of [`/v1/sms/${archived}`, `/v1/sms?reference=${reference}`]) {
      const res = await api.get(path);
      expect(res.headers.get('retry-after')).toBe('5');
      answers.push(await checker.check('GET', path, res));
    }
    const repeat = await api.post('/v1/sms', repeated.body, { 'idempotency-key': repeated.key });
    answers.push(await checker.check('POST', '/v1/sms', repeat));
    expect(answers.map(({ status, code }) => [status, code])).toEqual([
      [503, 5031],
      [503, 5031],
      [503, 5031],
    ]);
  });

  it('still answers a message Redis has', async () => {
    const res = await api.get(`/v1/sms/${hot}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: hot, status: 'accepted' });
  });

  it('answers a missing message 404 without DATABASE_URL, never asking PostgreSQL', async () => {
    const res = await redisOnly.get(`/v1/sms/${archived}`);
    expect(await json(res)).toMatchObject({ status: 404, body: { code: 4041 } });
    // Without an archive no route is documented with 5031.
    const codes = new OpenApiChecker(await documentOf(redisOnly)).operations.flatMap(
      ({ operation }) => operation['x-error-codes'] as number[],
    );
    expect(codes).toContain(5030);
    expect(codes).not.toContain(5031);
  });
});
