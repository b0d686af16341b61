import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DeadLetters } from '@sms/dead-letters';
import { createDeadLetterQueue, createSmsQueue, type DeadLetterEntry } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { type ConnectedRedis, connectTestRedis, seedDeadLetter } from '@sms/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import pino from 'pino';
import { createDeadLetterRouter } from '../src/dead-letter-routes';
import { sendError } from '../src/send-error';

let connected: ConnectedRedis;
let redis: Redis;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  connected = await connectTestRedis();
  redis = connected.redis;
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await connected?.stop();
});

/**
 * The router on a bare app of its own, with its own key prefix, listening on a free port. The
 * gateway's app parses no body before the router, so `appParsesJson` shows both ways work.
 */
async function startRouter({ appParsesJson = true } = {}) {
  const prefix = `dlr-${randomUUID().slice(0, 8)}`;
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  const statusStore = new StatusStore(redis, { prefix });
  const deadLetters = new DeadLetters({
    deadLetterQueue,
    smsQueue,
    statusStore,
    redis,
    prefix,
    sendAttempts: 4,
  });
  const app = express();
  if (appParsesJson) app.use(express.json());
  app.use('/v1/admin', createDeadLetterRouter({ deadLetters, logger: pino({ level: 'silent' }) }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, error, 'test-request');
  });
  const listener = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1/admin`;
  stops.push(async () => {
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
    await Promise.all([deadLetterQueue.close(), smsQueue.close()]);
  });

  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(base + path, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  const putAside = (overrides: Partial<DeadLetterEntry> = {}) =>
    seedDeadLetter({ deadLetterQueue, statusStore }, overrides);

  return { call, putAside, smsQueue, statusStore };
}

describe('GET /dead-letters', () => {
  it('lists entries newest first, a page at a time, filtered', async () => {
    const { call, putAside } = await startRouter();
    const at = Date.UTC(2024, 4, 1, 12);
    const older = await putAside({ deadLetteredAt: at - 60_000 });
    const newer = await putAside({ deadLetteredAt: at });
    await putAside({ reason: 'expired', deadLetteredAt: at + 60_000 });

    const first = await call('GET', '/dead-letters?reason=rejected&limit=1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 2, items: [{ id: newer, to: '5730******67', code: 4031 }] });
    const second = await call('GET', `/dead-letters?reason=rejected&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([older]);
    expect(second.body.nextCursor).toBeUndefined();

    const window = await call('GET', '/dead-letters?since=2024-05-01T11:59:00Z&until=2024-05-01T12:00:00Z');
    expect(window.body.items.map((item: { id: string }) => item.id)).toEqual([older]);
  });

  it.each([
    ['reason=lost', 'reason'],
    ['since=yesterday', 'since'],
    ['limit=501', 'limit'],
    ['reason=rejected&reason=expired', 'reason'],
    ['sort=oldest', 'sort'],
  ])('answers 400 with code 4010 to %s', async (query, field) => {
    const { call } = await startRouter();
    const res = await call('GET', `/dead-letters?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 4010, field, requestId: 'test-request' });
  });
});

describe('GET /dead-letters/:id', () => {
  it('shows the full message, its attempts and its status', async () => {
    const { call, putAside } = await startRouter();
    const id = await putAside();
    const res = await call('GET', `/dead-letters/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      reason: 'rejected',
      payload: { to: '573001234567', text: `text of ${id}` },
      history: [{ attempt: 1, code: 4031, outcome: 'rejected' }],
      status: { status: 'dead_lettered' },
    });
  });

  it('answers 404 with code 4042 for a message not in the queue', async () => {
    const { call } = await startRouter();
    const res = await call('GET', `/dead-letters/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 4042 });
  });
});

describe('POST /dead-letters/:id/replay', () => {
  it('replays once; a second replay answers 404 with code 4042', async () => {
    const { call, putAside, smsQueue, statusStore } = await startRouter();
    const id = await putAside();
    const res = await call('POST', `/dead-letters/${id}/replay`, { validFor: 300 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'replayed', id });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await smsQueue.getJob(id))?.opts.attempts).toBe(4);
    expect((await statusStore.read(id))?.status).toBe('queued');

    const again = await call('POST', `/dead-letters/${id}/replay`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 4042 });
  });

  it('answers 409 with code 4090 while the send job that dead-lettered it is still finishing', async () => {
    const { call, putAside, smsQueue } = await startRouter();
    const id = await putAside();
    await smsQueue.add(
      'send',
      { to: '573001234567', text: 'x', client: 'billing', acceptedAt: 0 },
      { jobId: id },
    );
    const res = await call('POST', `/dead-letters/${id}/replay`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 4090 });
  });

  it.each([
    [{ validFor: 10 }, 4009, 'validFor'],
    [{ validFor: 'soon' }, 4009, 'validFor'],
    [{ valid_for: 60 }, 4006, 'valid_for'],
  ])('refuses the body %p with code %p', async (body, code, field) => {
    const { call, putAside } = await startRouter();
    const id = await putAside();
    const res = await call('POST', `/dead-letters/${id}/replay`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code, field });
  });
});

describe('POST /dead-letters/replay', () => {
  it('replays every entry the filter selects and answers the counts', async () => {
    const { call, putAside, smsQueue } = await startRouter();
    const expired = [await putAside({ reason: 'expired' }), await putAside({ reason: 'expired' })];
    const rejected = await putAside();
    const res = await call('POST', '/dead-letters/replay', { reason: 'expired', validFor: 60 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ matched: 2, replayed: 2, notFound: 0, busy: 0, failed: 0 });
    for (const id of expired) expect(await smsQueue.getJob(id)).toBeDefined();
    expect(await smsQueue.getJob(rejected)).toBeUndefined();
  });

  it('reads the filter from the body also when the app has not parsed it', async () => {
    const { call, putAside, smsQueue } = await startRouter({ appParsesJson: false });
    const expired = await putAside({ reason: 'expired' });
    const rejected = await putAside();
    const res = await call('POST', '/dead-letters/replay', { reason: 'expired', validFor: 60 });
    expect(res.body).toMatchObject({ matched: 1, replayed: 1 });
    expect((await smsQueue.getJob(expired))?.data.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await smsQueue.getJob(rejected)).toBeUndefined();
  });

  it.each([
    ['no body', undefined, 'application/json', 4007],
    ['a body that is not JSON', 'reason=expired', 'application/x-www-form-urlencoded', 4000],
    ['malformed JSON', '{"reason":', 'application/json', 4007],
    ['a JSON array', '[]', 'application/json', 4007],
  ])('replays nothing when sent %s', async (_name, body, contentType, code) => {
    const { call, putAside, smsQueue } = await startRouter({ appParsesJson: false });
    const id = await putAside();
    const res = await call('POST', '/dead-letters/replay', body, contentType);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code });
    expect(await smsQueue.getJob(id)).toBeUndefined();
  });

  it('refuses an unknown filter field rather than replaying everything', async () => {
    const { call, putAside, smsQueue } = await startRouter();
    const id = await putAside();
    const res = await call('POST', '/dead-letters/replay', { reasons: 'rejected' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 4006, field: 'reasons' });
    expect(await smsQueue.getJob(id)).toBeUndefined();
  });
});

describe('DELETE /dead-letters/:id', () => {
  it('deletes the entry, keeps the status record, and answers 404 the second time', async () => {
    const { call, putAside, statusStore } = await startRouter();
    const id = await putAside();
    expect((await call('DELETE', `/dead-letters/${id}`)).status).toBe(204);
    expect((await statusStore.read(id))?.status).toBe('dead_lettered');
    expect((await call('GET', `/dead-letters/${id}`)).status).toBe(404);
    const again = await call('DELETE', `/dead-letters/${id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 4042 });
  });
});
