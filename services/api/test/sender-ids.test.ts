import { randomUUID } from 'node:crypto';
import {
  type ApiProcess,
  metricValue,
  type RunningSimulator,
  startApiProcess,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';

// Which `from` a client may use, on an API process configured through its environment, with a
// worker sending to the simulator: what Kaarai receives is the proof of a default `from`.
// `shop` may use ACME and the numbers starting 5730012, and sends ACME without a from; `crm` may
// use CRM and has no default; `other` is in no list, and may use any from, unless
// DEFAULT_SENDER_IDS (the second API) says otherwise.
const KEYS = {
  shop: 'shop-key-0123456789abcdef',
  crm: 'crm-key-0123456789abcdef',
  other: 'other-key-0123456789abcdef',
} as const;
type Client = keyof typeof KEYS;
const SENDER_ENV = {
  API_KEYS: Object.entries(KEYS)
    .map(([client, key]) => `${client}=${key}`)
    .join(','),
  CLIENT_SENDER_IDS: 'shop=ACME|+5730012*,crm=CRM',
  CLIENT_DEFAULT_FROM: 'shop=ACME',
};
const TO = '573001234567';

let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let restricted: ApiProcess;
let worker: WorkerProcess;
const prefix = `s${randomUUID().slice(0, 8)}`;
const run = randomUUID().slice(0, 8);

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  [api, restricted, worker] = await Promise.all([
    startApiProcess({ redisUrl: redis.url, prefix, env: SENDER_ENV }),
    startApiProcess({
      redisUrl: redis.url,
      prefix: `${prefix}r`,
      env: { ...SENDER_ENV, DEFAULT_SENDER_IDS: 'INFO|+57*' },
    }),
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
  await Promise.all([api?.stop(), restricted?.stop()]);
  await simulator?.stop();
  await redis?.stop();
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { code?: number; field?: string; message?: string };
}

async function post(path: string, client: Client, body: unknown, on: ApiProcess = api): Promise<Answer> {
  const res = await fetch(on.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS[client]}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const send = (client: Client, message: Record<string, unknown>, on?: ApiProcess) =>
  post('/v1/sms', client, { to: TO, ...message }, on);

async function sendKaarai(client: Client, message: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${api.url}/kaarai/api/v1/sms/send`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client}:${KEYS[client]}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ to: TO, ...message }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The `from` Kaarai received with each of `texts` (null: none), once the worker has sent them all. */
async function sendersReceived(texts: readonly string[]): Promise<Record<string, string | null>> {
  return waitFor(
    async () => {
      const received = new Map((await simulator.admin.messages()).map((m) => [m.text, m.from]));
      if (!texts.every((text) => received.has(text))) return undefined;
      return Object.fromEntries(texts.map((text) => [text, received.get(text)!]));
    },
    { timeoutMs: 30_000, intervalMs: 200, description: 'every accepted message to reach the simulator' },
  );
}

const refusal = (from: string, list: string) => ({
  status: 403,
  body: expect.objectContaining({
    code: 4032,
    field: 'from',
    message: `"from" "${from}" is not one of this client's sender ids: ${list}`,
  }),
});

describe('POST /v1/sms', () => {
  it("sends with a sender id of the client's list, a number of its range, or its default", async () => {
    const texts = ['listed', 'range', 'range with +', 'default', 'no default'].map((t) => `${t} ${run}`);
    const answers = await Promise.all([
      send('shop', { from: 'ACME', text: texts[0] }),
      send('shop', { from: '573001299999', text: texts[1] }),
      send('shop', { from: '+573001200000', text: texts[2] }),
      send('shop', { text: texts[3] }),
      send('crm', { text: texts[4] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await sendersReceived(texts)).toEqual({
      [texts[0]!]: 'ACME',
      [texts[1]!]: '573001299999',
      [texts[2]!]: '573001200000',
      [texts[3]!]: 'ACME',
      [texts[4]!]: null,
    });
  });

  it("refuses a sender id off the client's list with 403 (4032), naming from and the ids it may use", async () => {
    expect(await send('shop', { from: 'Acme', text: 'case' })).toEqual(refusal('Acme', 'ACME|5730012*'));
    expect(await send('shop', { from: 'CRM', text: "another team's" })).toEqual(
      refusal('CRM', 'ACME|5730012*'),
    );
    expect(await send('shop', { from: '+573001334567', text: 'off range' })).toEqual(
      refusal('573001334567', 'ACME|5730012*'),
    );
    expect(await send('crm', { from: 'ACME', text: "another team's" })).toEqual(refusal('ACME', 'CRM'));
  });

  it('counts the refusals among the rejected messages, by code and client', async () => {
    await send('crm', { from: 'SHOP', text: 'counted' });
    const metrics = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(
      metricValue(metrics, 'sms_api_messages_rejected_total', { code: '4032', client: 'crm' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('lets a client in no list use any from while DEFAULT_SENDER_IDS is unset', async () => {
    const text = `unlisted ${run}`;
    expect((await send('other', { from: 'ANYONE', text })).status).toBe(202);
    expect(await sendersReceived([text])).toEqual({ [text]: 'ANYONE' });
  });

  it('holds a client in no list to DEFAULT_SENDER_IDS when it is set, and leaves listed clients to theirs', async () => {
    expect((await send('other', { from: 'INFO', text: 'default list' }, restricted)).status).toBe(202);
    expect((await send('other', { from: '+573009999999', text: 'default range' }, restricted)).status).toBe(
      202,
    );
    expect(await send('other', { from: 'ANYONE', text: 'off the default list' }, restricted)).toEqual(
      refusal('ANYONE', 'INFO|57*'),
    );
    expect(await send('crm', { from: 'INFO', text: 'not in its own list' }, restricted)).toEqual(
      refusal('INFO', 'CRM'),
    );
  });
});

describe('POST /v1/sms/batch', () => {
  it('refuses each message with a sender id off the list in its place, and sends the others', async () => {
    const texts = ['batch listed', 'batch refused', 'batch default'].map((t) => `${t} ${run}`);
    const answer = await post('/v1/sms/batch', 'shop', {
      messages: [
        { to: TO, from: 'ACME', text: texts[0] },
        { to: TO, from: 'CRM', text: texts[1] },
        { to: TO, text: texts[2] },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(2);
    expect(answer.body.rejected).toBe(1);
    const messages = answer.body.messages as Array<{ id?: string; error?: unknown }>;
    expect(messages[0]!.id).toEqual(expect.any(String));
    expect(messages[1]).toEqual({
      error: {
        code: 4032,
        field: 'from',
        message: `"from" "CRM" is not one of this client's sender ids: ACME|5730012*`,
      },
    });
    expect(messages[2]!.id).toEqual(expect.any(String));
    expect(await sendersReceived([texts[0]!, texts[2]!])).toEqual({
      [texts[0]!]: 'ACME',
      [texts[2]!]: 'ACME',
    });
  });

  it('answers 400 (4012) with the same refusal when no message of the batch may be sent', async () => {
    const answer = await post('/v1/sms/batch', 'crm', {
      messages: [{ to: TO, from: 'ACME', text: 'alone' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(4012);
    expect(answer.body.messages).toEqual([{ error: expect.objectContaining({ code: 4032, field: 'from' }) }]);
  });
});

describe('the Kaarai entry', () => {
  it("answers a sender id off the client's list as Kaarai's 4030, saying which from, and sends a listed one", async () => {
    expect(await sendKaarai('shop', { from: 'CRM', text: 'kaarai refused' })).toEqual({
      status: 403,
      body: {
        code: 4030,
        message: `Authorization failed for user: shop ("from" "CRM" is not one of this client's sender ids: ACME|5730012*)`,
      },
    });
    const texts = ['kaarai listed', 'kaarai default'].map((t) => `${t} ${run}`);
    expect((await sendKaarai('shop', { from: 'ACME', text: texts[0] })).body.code).toBe(2021);
    expect((await sendKaarai('shop', { text: texts[1] })).body.code).toBe(2021);
    expect(await sendersReceived(texts)).toEqual({ [texts[0]!]: 'ACME', [texts[1]!]: 'ACME' });
  });
});

describe('start-up', () => {
  it("refuses to start with a default from off its client's list, saying which", async () => {
    await expect(
      startApiProcess({
        redisUrl: redis.url,
        prefix: `${prefix}x`,
        env: { ...SENDER_ENV, CLIENT_DEFAULT_FROM: 'shop=CRM' },
      }),
    ).rejects.toThrow(
      /CLIENT_DEFAULT_FROM: the from "CRM" of client "shop" is not one of its CLIENT_SENDER_IDS/,
    );
  });
});
