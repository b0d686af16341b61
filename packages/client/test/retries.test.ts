import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSmsClientError, SmsClient } from '../src';

// Answers that the API gives only under conditions a test cannot cheaply bring about, or that
// come from what stands between (a 429 without Retry-After, a connection cut before the answer,
// an answer that never comes, a proxy's 503 or 502 without a body), scripted on a real HTTP
// server, so that the client's real fetch meets them on the wire.
type Step =
  | 'cut'
  | 'hang'
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown };

const ACCEPTED: Step = {
  status: 202,
  body: { id: '0b7e0000-0000-4000-8000-000000000000', status: 'queued', priority: 'normal' },
};
const refusal = (status: number, code: number, headers: Record<string, string> = {}): Step => ({
  status,
  headers,
  body: { code, message: `refused with ${code}`, requestId: 'r-1' },
});

let server: Server;
let script: Step[] = [];
let seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      const step = script.shift() ?? ACCEPTED;
      if (step === 'cut') return void res.socket?.destroy();
      // Never answered: the client's attempt timeout ends it.
      if (step === 'hang') return;
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body === undefined ? '' : JSON.stringify(step.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  seen = [];
});

const clientWith = (options: { deadlineMs?: number; maxAttempts?: number } = {}) =>
  new SmsClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    apiKey: 'key-0123456789',
    retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: options.maxAttempts ?? 6 },
    ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
  });
const message = { to: '573001234567', text: 'hello' };

it('retries a cut connection and a 503 without a body with the same Idempotency-Key', async () => {
  script = ['cut', { status: 503 }];
  await expect(clientWith().send(message)).resolves.toMatchObject({ status: 'queued' });

  expect(seen).toHaveLength(3);
  const keys = new Set(seen.map((headers) => headers['idempotency-key']));
  expect(keys.size).toBe(1);
  expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
});

it('sends the caller’s Idempotency-Key and a new one for each send', async () => {
  const client = clientWith();
  await client.send(message, { idempotencyKey: 'order-42' });
  await client.send(message);
  await client.send(message);

  expect(seen[0]!['idempotency-key']).toBe('order-42');
  expect(seen[1]!['idempotency-key']).not.toBe(seen[2]!['idempotency-key']);
});

it('retries a 429 that says Retry-After, and honours it', async () => {
  script = [refusal(429, 4290, { 'retry-after': '1' })];
  const started = Date.now();
  await clientWith().send(message);

  expect(seen).toHaveLength(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
});

it('does not retry a 429 without Retry-After', async () => {
  script = [refusal(429, 4290)];
  const error = await clientWith()
    .send(message)
    .catch((e: unknown) => e);

  expect(error).toMatchObject({ code: 4290, status: 429, attempts: 1 });
  expect(seen).toHaveLength(1);
});

it('fails at once with 4291 when Retry-After is beyond the deadline', async () => {
  script = [refusal(429, 4291, { 'retry-after': '36000' })];
  const error = await clientWith({ deadlineMs: 5_000 })
    .send(message)
    .catch((e: unknown) => e);

  expect(isSmsClientError(error, 4291)).toBe(true);
  expect(error).toMatchObject({ retryAfterMs: 36_000_000, attempts: 1 });
});

it('gives up with DEADLINE_EXCEEDED when 503s outlast the deadline, carrying the last answer', async () => {
  script = Array.from({ length: 100 }, () => refusal(503, 5030, { 'retry-after': '0' }));
  const started = Date.now();
  const error = await clientWith({ deadlineMs: 300, maxAttempts: 1_000 })
    .get('x')
    .catch((e: unknown) => e);

  expect(isSmsClientError(error, 'DEADLINE_EXCEEDED')).toBe(true);
  expect(error).toMatchObject({ status: 503 });
  expect(seen.length).toBeGreaterThan(2);
  expect((error as Error).cause).toMatchObject({ code: 5030 });
  expect(Date.now() - started).toBeLessThan(1_000);
});

it('stops after maxAttempts with the last answer’s error', async () => {
  script = Array.from({ length: 10 }, () => refusal(503, 5031, { 'retry-after': '0' }));
  const client = new SmsClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: 'key-0123456789',
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const error = await client.findByReference('order-42').catch((e: unknown) => e);

  expect(error).toMatchObject({ code: 5031, status: 503, attempts: 3 });
  expect(seen).toHaveLength(3);
});

it('says UNEXPECTED_ANSWER for an error without the gateway’s body, and NETWORK_ERROR with nothing listening', async () => {
  script = [{ status: 502, body: undefined }];
  await expect(clientWith().get('x')).rejects.toMatchObject({ code: 'UNEXPECTED_ANSWER', status: 502 });

  const nowhere = new SmsClient({
    baseUrl: 'http://127.0.0.1:1',
    apiKey: 'key-0123456789',
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  });
  await expect(nowhere.get('x')).rejects.toMatchObject({
    code: 'NETWORK_ERROR',
    status: undefined,
    attempts: 2,
  });
});

it('counts an attempt without an answer within attemptTimeoutMs as lost, and retries it', async () => {
  script = ['hang'];
  const client = new SmsClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: 'key-0123456789',
    attemptTimeoutMs: 200,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
  });
  await expect(client.send(message)).resolves.toMatchObject({ status: 'queued' });

  expect(seen).toHaveLength(2);
  expect(seen[0]!['idempotency-key']).toBe(seen[1]!['idempotency-key']);
});

it('says DEADLINE_EXCEEDED, with the last answer, when the deadline cuts an attempt short', async () => {
  script = [refusal(503, 5030, { 'retry-after': '0' }), 'hang'];
  const error = await clientWith({ deadlineMs: 400, maxAttempts: 10 })
    .get('x')
    .catch((e: unknown) => e);

  expect(isSmsClientError(error, 'DEADLINE_EXCEEDED')).toBe(true);
  expect(error).toMatchObject({ status: 503 });
  expect((error as Error).cause).toMatchObject({ code: 5030 });
  expect(seen).toHaveLength(2);
});
