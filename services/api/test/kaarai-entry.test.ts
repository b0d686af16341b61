import { KaaraiClient } from '@sms/kaarai-client';
import { type RedisServer, startRedis, startRedisServer, type TestRedis } from '@sms/testing';
import { type RunningApi, startApi, TEST_KEY } from './start-api';

// The Kaarai entry as a client written from Kaarai's document alone sees it, and as the
// gateway's own Kaarai client (the worker's) classifies it. start-api.ts names the client of
// TEST_KEY "billing": Basic credentials billing:TEST_KEY.
let redis: TestRedis;
let api: RunningApi;
let sendUrl: string;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url);
  sendUrl = `${api.url}/kaarai/api/v1/sms/send`;
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

/** What the document says an answer is: an HTTP status and «Code NNNN: text», as application/json. */
interface DocumentAnswer {
  readonly status: number;
  readonly code: number;
  readonly text: string;
  readonly contentType: string | null;
  readonly headers: Headers;
}

/**
 * A client built from Kaarai's document only: «REST POST Method», «Standard HTTP Basic
 * Authentication («user» : «password» encoded using Base64)», «Required headers: Content-Type –
 * application/json» and «Authorization: Basic xxxxxxxxx», the inputs «to» (with the country
 * code), «from» (optional) and «text» in a JSON body. The document shows no answer body, so it
 * takes the code and text from whatever JSON holds them: {"code","message"} or "Code NNNN: text".
 */
async function sendAsTheDocumentSays(
  url: string,
  input: { to?: unknown; from?: unknown; text?: unknown },
  credentials: { user: string; password: string } | null = { user: 'billing', password: TEST_KEY },
  contentType = 'application/json',
  rawBody?: string,
): Promise<DocumentAnswer> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (credentials) {
    headers.Authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  }
  const res = await fetch(url, { method: 'POST', headers, body: rawBody ?? JSON.stringify(input) });
  const json: unknown = await res.json();
  const found =
    typeof json === 'string'
      ? /Code (\d{4}): (.*)/.exec(json)
      : [null, String((json as { code: unknown }).code), String((json as { message: unknown }).message)];
  return {
    status: res.status,
    code: Number(found?.[1]),
    text: found?.[2] ?? '',
    contentType: res.headers.get('content-type'),
    headers: res.headers,
  };
}

const SMS = { to: '573001234567', from: '85000', text: 'Your OTP code is 1234' };

describe('the Kaarai entry, to a client written from the document', () => {
  it('accepts a message with 202 and «Code 2021: Queued for later delivery», and enqueues it', async () => {
    const answer = await sendAsTheDocumentSays(sendUrl, SMS);
    expect(answer).toMatchObject({ status: 202, code: 2021, text: 'Queued for later delivery' });
    expect(answer.contentType).toMatch(/^application\/json/);
    const id = answer.headers.get('location')!.replace('/v1/sms/', '');
    expect((await api.queue.getJob(id))?.data).toMatchObject({ ...SMS, client: 'billing' });
    expect(await (await api.get(`/v1/sms/${id}`)).json()).toMatchObject({ id, status: 'queued' });
  });

  it('accepts a message without «from», and a receiver written with +', async () => {
    const answer = await sendAsTheDocumentSays(sendUrl, { to: '+573001234567', text: 'no sender' });
    expect(answer).toMatchObject({ status: 202, code: 2021 });
  });

  it.each([
    ['another content type', SMS, undefined, 'text/plain', 400, 4000, 'Invalid content-type: text/plain'],
    [
      'a missing receiver',
      { text: 'x' },
      undefined,
      undefined,
      400,
      4001,
      'Missing receiver number, rejected',
    ],
    [
      'an empty receiver',
      { to: '', text: 'x' },
      undefined,
      undefined,
      400,
      4001,
      'Missing receiver number, rejected',
    ],
    ['a missing text', { to: SMS.to }, undefined, undefined, 400, 4002, 'Missing text message, rejected'],
    [
      'an empty text',
      { to: SMS.to, text: '' },
      undefined,
      undefined,
      400,
      4002,
      'Missing text message, rejected',
    ],
    [
      'a text with a control character',
      { to: SMS.to, text: 'a\u001bb' },
      undefined,
      undefined,
      400,
      4002,
      'Missing text message, rejected',
    ],
    [
      'a text too long',
      { to: SMS.to, text: 'x'.repeat(501) },
      undefined,
      undefined,
      400,
      4002,
      'Missing text message, rejected',
    ],
    [
      'a receiver without country code',
      { to: '300', text: 'x' },
      undefined,
      undefined,
      400,
      4003,
      'Invalid receiver number, rejected',
    ],
    [
      'a receiver with letters',
      { to: '57300abc4567', text: 'x' },
      undefined,
      undefined,
      400,
      4003,
      'Invalid receiver number, rejected',
    ],
    ['no credentials', SMS, null, undefined, 403, 4030, 'Authorization failed for user: '],
    [
      'a wrong password',
      SMS,
      { user: 'billing', password: 'guessed-0123456789' },
      undefined,
      403,
      4030,
      'Authorization failed for user: billing',
    ],
    [
      "another client's name with this key",
      SMS,
      { user: 'marketing', password: TEST_KEY },
      undefined,
      403,
      4030,
      'Authorization failed for user: marketing',
    ],
  ] as const)(
    'refuses %s as the document says',
    async (_name, input, credentials, contentType, status, code, text) => {
      const before = await api.queue.count();
      const answer = await sendAsTheDocumentSays(sendUrl, input, credentials, contentType);
      expect({ status: answer.status, code: answer.code, text: answer.text }).toEqual({ status, code, text });
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(await api.queue.count()).toBe(before);
    },
  );

  it('refuses a body that is not JSON with 4000', async () => {
    const answer = await sendAsTheDocumentSays(sendUrl, {}, undefined, 'application/json', '{"to": "57');
    expect(answer).toMatchObject({
      status: 400,
      code: 4000,
      text: expect.stringMatching(/^Invalid content-type: /),
    });
  });

  it('answers an unknown URL or method with 404 and «Code 4040: Unknown request»', async () => {
    const wrongPath = await sendAsTheDocumentSays(`${api.url}/kaarai/api/v1/sms/sned`, SMS);
    expect(wrongPath).toMatchObject({ status: 404, code: 4040, text: 'Unknown request' });
    const get = await fetch(sendUrl);
    expect([get.status, await get.json()]).toEqual([404, { code: 4040, message: 'Unknown request' }]);
  });
});

describe("the Kaarai entry, to the gateway's own Kaarai client", () => {
  const client = (user: string, password: string) =>
    new KaaraiClient({ url: sendUrl, user, password, timeoutMs: 5_000 });

  it('classifies an accepted message as success, and each refusal as the worker would act on Kaarai', async () => {
    const good = client('billing', TEST_KEY);
    const wrong = client('billing', 'not-the-key-0123456789');
    try {
      expect(await good.send({ to: '573001234567', text: 'from the worker client' })).toMatchObject({
        type: 'answered',
        action: 'succeed',
        code: 2021,
        httpStatus: 202,
      });
      expect(await good.send({ to: '', text: 'x' })).toMatchObject({ action: 'dead_letter', code: 4001 });
      expect(await good.send({ to: '12', text: 'x' })).toMatchObject({ action: 'dead_letter', code: 4003 });
      expect(await good.send({ to: '573001234567', text: '' })).toMatchObject({
        action: 'dead_letter',
        code: 4002,
      });
      expect(await wrong.send({ to: '573001234567', text: 'x' })).toMatchObject({
        action: 'hold',
        code: 4030,
      });
    } finally {
      good.close();
      wrong.close();
    }
  });
});

describe('the Kaarai entry when the gateway cannot take the message', () => {
  let own: RedisServer;
  let ownApi: RunningApi;

  beforeAll(async () => {
    own = await startRedisServer();
    ownApi = await startApi(own.url, {}, undefined, {
      quotas: { quotas: new Map([['billing', { messagesPerDay: 1 }]]), defaultQuota: {} },
    });
  });
  afterAll(async () => {
    await ownApi?.stop();
    await own?.stop();
  });

  it('answers a used-up quota with 503, «Code 5030», Retry-After and the RateLimit headers', async () => {
    const url = `${ownApi.url}/kaarai/api/v1/sms/send`;
    expect(await sendAsTheDocumentSays(url, SMS)).toMatchObject({ status: 202, code: 2021 });
    const refused = await sendAsTheDocumentSays(url, SMS);
    expect(refused).toMatchObject({ status: 503, code: 5030, text: 'Temporal failure, try again later' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toBe('"messages-per-day";q=1;w=86400');
    expect(refused.headers.get('ratelimit')).toMatch(/^"messages-per-day";r=0;t=\d+$/);
    const worker = new KaaraiClient({ url, user: 'billing', password: TEST_KEY, timeoutMs: 5_000 });
    try {
      expect(await worker.send(SMS)).toMatchObject({ action: 'retry', code: 5030 });
    } finally {
      worker.close();
    }
  });

  it('answers 503 with «Code 5030» and Retry-After when Redis is down', async () => {
    await own.stop();
    const url = `${ownApi.url}/kaarai/api/v1/sms/send`;
    const answer = await sendAsTheDocumentSays(url, SMS);
    expect(answer).toMatchObject({ status: 503, code: 5030, text: 'Temporal failure, try again later' });
    expect(answer.headers.get('retry-after')).toBe('5');
  });
});
