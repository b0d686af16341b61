import { callApi, type Fetch } from './call-api';

const request = {
  method: 'POST',
  url: 'http://127.0.0.1:9/v1/sms',
  headers: { authorization: 'Bearer k' },
  body: '{}',
} as const;

describe('callApi', () => {
  it('sends the request as built, without following redirects, and reads the answer', async () => {
    const calls: Array<[string, RequestInit]> = [];
    const fetchApi: Fetch = async (url, init) => {
      calls.push([url, init]);
      return new Response('{"id":"m1"}', { status: 202 });
    };
    expect(await callApi(request, 1000, fetchApi)).toMatchObject({ ok: true, body: { id: 'm1' } });
    expect(calls).toEqual([
      [
        request.url,
        expect.objectContaining({ method: 'POST', headers: request.headers, body: '{}', redirect: 'manual' }),
      ],
    ]);
    expect(calls[0]?.[1].signal).toBeInstanceOf(AbortSignal);
  });

  it('reports a refused connection as worth retrying, with the system error', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(await callApi(request, 1000, () => Promise.reject(refused))).toEqual({
      ok: false,
      failure: {
        outcome: 'retry',
        message: 'cannot reach http://127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9',
      },
    });
  });

  it('gives up after the timeout, also while the answer is being read', async () => {
    // Like fetch, rejects with the signal's reason when it fires.
    const stalls: Fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    expect(await callApi(request, 50, stalls)).toEqual({
      ok: false,
      failure: { outcome: 'retry', message: 'no answer from http://127.0.0.1:9 within 0.05 s' },
    });

    const stallsInBody: Fetch = async (_url, init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":'));
            init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
          },
        }),
        { status: 202 },
      );
    expect(await callApi(request, 50, stallsInBody)).toMatchObject({
      failure: { outcome: 'retry', message: expect.stringContaining('no answer') },
    });
  });
});
