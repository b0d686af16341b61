import { Writable } from 'node:stream';
import { createLogger } from '@sms/logging';
import { type RunningSimulator, startRedis, startSimulator, type TestRedis, waitFor } from '@sms/testing';
import { startWorker, type WorkerUnderTest } from './start-worker';

// Invariant: a message can be followed through the worker's log by its id and its request id,
// and no line holds its text, its full receiver number or Kaarai's password. Messages go down
// every path one at a time: accepted, retried, refused for good (4031), given up after the last
// attempt, expired, and held on a configuration fault (4030). The logger is the one main.ts
// builds, writing to a stream the test reads.
const PASSWORD = 'kaarai-password-5f3a9c1e';

let redis: TestRedis;
let simulator: RunningSimulator;
let worker: WorkerUnderTest;
const lines: string[] = [];

beforeAll(async () => {
  [redis, simulator] = await Promise.all([
    startRedis(),
    startSimulator({ https: true, env: { KAARAI_SIM_PASSWORD: PASSWORD } }),
  ]);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  worker = await startWorker(redis.url, {
    kaaraiUrl: simulator.httpsUrl!,
    ca: simulator.ca!,
    password: PASSWORD,
    timeoutMs: 2_000,
    holdMs: 100,
    logger: createLogger('worker', 'trace', sink),
  });
});
afterAll(async () => {
  await worker?.stop();
  await simulator?.stop();
  await redis?.stop();
});

interface SentMessage {
  readonly id: string;
  readonly requestId: string;
  readonly to: string;
  readonly text: string;
}
const sent: SentMessage[] = [];

async function send(label: string, to: string, attempts = 3, expiresAt?: number): Promise<SentMessage> {
  const message = { requestId: `request-${label}-${Date.now()}`, to, text: `${label} text ${Date.now()}` };
  const id = await worker.send(message, attempts, expiresAt);
  sent.push({ id, ...message });
  return { id, ...message };
}

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const linesAbout = (id: string) => parsed().filter((line) => line.messageId === id);

// The worker logs a message's outcome just after recording its final status, so the test
// waits for both.
async function settled(message: SentMessage, lastLine: string): Promise<string> {
  const status = await waitFor(
    async () => {
      const record = await worker.statusStore.read(message.id);
      return record && !['queued', 'sending', 'retrying'].includes(record.status) ? record.status : undefined;
    },
    { timeoutMs: 20_000, description: `a final status of ${message.id}` },
  );
  await waitFor(() => linesAbout(message.id).some((line) => line.msg === lastLine), {
    description: `"${lastLine}" about ${message.id}`,
  });
  return status;
}

it('logs every path of a message under its id and request id, without its text, number or the password', async () => {
  const accepted = await send('accepted', '573001230001');
  expect(await settled(accepted, 'message accepted by Kaarai')).toBe('accepted');

  await simulator.admin.setFaults({ failNext: 1 });
  const retried = await send('retried', '573001230002');
  expect(await settled(retried, 'message accepted by Kaarai')).toBe('accepted');

  await simulator.admin.setSettings({ blockedPrefixes: ['999'] });
  const blocked = await send('blocked', '9991230003');
  expect(await settled(blocked, 'message dead-lettered')).toBe('dead_lettered');

  await simulator.admin.setFaults({ failNext: 2 });
  const exhausted = await send('exhausted', '573001230004', 2);
  expect(await settled(exhausted, 'message dead-lettered')).toBe('failed');

  const expired = await send('expired', '573001230005', 3, Date.now() - 1);
  expect(await settled(expired, 'message dead-lettered')).toBe('expired');

  await simulator.admin.setSettings({ password: 'rotated-password-0a1b2c' });
  const held = await send('held', '573001230006');
  await waitFor(() => linesAbout(held.id).find((line) => line.code === 4030 && line.level === 50), {
    description: 'the hold to be logged',
  });
  await simulator.admin.setSettings({ password: PASSWORD });
  expect(await settled(held, 'probe succeeded: sending resumes')).toBe('accepted');

  // Each path left its own line about its message.
  const messagesAbout = (m: SentMessage) => linesAbout(m.id).map((line) => line.msg);
  expect(messagesAbout(accepted)).toContain('message accepted by Kaarai');
  expect(messagesAbout(retried)).toEqual(['send failed; will retry', 'message accepted by Kaarai']);
  expect(messagesAbout(blocked)).toEqual(['message dead-lettered']);
  expect(messagesAbout(exhausted)).toEqual(['send failed; will retry', 'message dead-lettered']);
  expect(messagesAbout(expired)).toEqual(['message dead-lettered']);
  expect(messagesAbout(held)).toEqual(
    expect.arrayContaining([
      expect.stringContaining('configuration fault'),
      'message accepted by Kaarai',
      'probe succeeded: sending resumes',
    ]),
  );

  // Every line the worker wrote here is about one of these messages: each names it and the
  // request that sent it.
  const requestIdOf = new Map(sent.map((m) => [m.id, m.requestId]));
  expect(lines.length).toBeGreaterThanOrEqual(10);
  for (const line of parsed()) {
    expect(line).toEqual(expect.objectContaining({ messageId: expect.any(String) }));
    expect(line.requestId).toBe(requestIdOf.get(line.messageId as string));
  }

  const credentials = Buffer.from(`gateway:${PASSWORD}`).toString('base64');
  for (const line of lines) {
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain(credentials);
    for (const message of sent) {
      expect(line).not.toContain(message.to);
      expect(line).not.toContain(message.text);
    }
  }
});
