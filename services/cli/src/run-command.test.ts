import type { Fetch } from './call-api';
import type { Command } from './parse-args';
import { type CommandDeps, runCommand } from './run-command';

const settings = { apiUrl: 'http://api:8080', key: 'k', timeoutMs: 1000, json: false };

/** A fetch that answers from a list and records what it was asked. */
function fakeApi(...answers: Array<Response | Error>) {
  const requests: Array<{ url: string; method?: string; headers: Record<string, string>; body?: unknown }> =
    [];
  const fetchApi: Fetch = async (url, init) => {
    requests.push({
      url,
      ...(init.method !== undefined && { method: init.method }),
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' && { body: JSON.parse(init.body) }),
    });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { requests, fetchApi };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers });

function deps(fetchApi: Fetch, stdin = ''): CommandDeps {
  return { fetch: fetchApi, readStdin: async () => stdin, newIdempotencyKey: () => 'generated-key' };
}

const send = (fields: Record<string, unknown>, idempotencyKey?: string): Command =>
  ({
    name: 'send',
    fields: { to: '573001234567', ...fields },
    ...(idempotencyKey && { idempotencyKey }),
  }) as Command;

describe('runCommand', () => {
  it('sends the text of standard input, less its final newline, under a fresh Idempotency-Key', async () => {
    const api = fakeApi(json(202, { id: 'm1', status: 'queued', priority: 'normal' }));
    const output = await runCommand(send({}), settings, deps(api.fetchApi, 'two\nlines\n'));
    expect(api.requests).toEqual([
      expect.objectContaining({
        body: { to: '573001234567', text: 'two\nlines' },
        headers: expect.objectContaining({ 'idempotency-key': 'generated-key' }),
      }),
    ]);
    expect(output).toEqual({
      stdout: ['id        m1', 'status    queued', 'priority  normal'].join('\n'),
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints the JSON of the answer as it came with --json', async () => {
    const body = { id: 'm1', status: 'scheduled', priority: 'high', sendAt: '2030-01-01T00:00:00.000Z' };
    const api = fakeApi(json(202, body));
    const output = await runCommand(
      send({ text: 'hi' }, 'mine'),
      { ...settings, json: true },
      deps(api.fetchApi),
    );
    expect(JSON.parse(output.stdout)).toEqual(body);
    expect(api.requests[0]?.headers['idempotency-key']).toBe('mine');
  });

  it('prints the Idempotency-Key to retry with when the API does not answer, on stderr only', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: new Error('connect ECONNREFUSED'),
    });
    const text = await runCommand(send({ text: 'hi' }), settings, deps(fakeApi(refused).fetchApi));
    expect(text).toEqual({
      stdout: '',
      stderr: [
        'sms send: not done: cannot reach http://api:8080: connect ECONNREFUSED',
        'Safe to retry with --idempotency-key generated-key: the message is then made at most once.',
      ].join('\n'),
      exitCode: 3,
    });
    const asJson = await runCommand(
      send({ text: 'hi' }),
      { ...settings, json: true },
      deps(fakeApi(refused).fetchApi),
    );
    expect(JSON.parse(asJson.stderr)).toEqual({
      outcome: 'retry',
      message: 'cannot reach http://api:8080: connect ECONNREFUSED',
      idempotencyKey: 'generated-key',
    });
    expect(asJson.exitCode).toBe(3);
  });

  it('exits 2 on a refusal and 4 on an unknown message', async () => {
    const refusal = { code: 4003, message: 'bad to', field: 'to', requestId: 'r1' };
    const refused = await runCommand(
      send({ text: 'hi' }),
      settings,
      deps(fakeApi(json(400, refusal)).fetchApi),
    );
    expect(refused).toMatchObject({ stdout: '', exitCode: 2 });
    expect(refused.stderr).toContain('code 4003, field to');

    const missing = { code: 4041, message: 'no message with id m9', requestId: 'r2' };
    const unknown = await runCommand(
      { name: 'status', id: 'm9' },
      settings,
      deps(fakeApi(json(404, missing)).fetchApi),
    );
    expect(unknown).toMatchObject({ stdout: '', exitCode: 4 });
  });

  it('confirms a delete, which the API answers without a body', async () => {
    const command: Command = { name: 'dlq delete', id: 'm1' };
    const answer = () => fakeApi(new Response(null, { status: 204 })).fetchApi;
    expect(await runCommand(command, settings, deps(answer()))).toEqual({
      stdout: 'Deleted m1.',
      stderr: '',
      exitCode: 0,
    });
    const asJson = await runCommand(command, { ...settings, json: true }, deps(answer()));
    expect(JSON.parse(asJson.stdout)).toEqual({ id: 'm1', deleted: true });
  });

  it('replays several ids, one request each, with the validity asked for', async () => {
    const api = fakeApi(
      json(200, { outcome: 'replayed', id: 'm1' }),
      json(404, { code: 4042, message: 'not in the dead-letter queue' }),
    );
    const output = await runCommand(
      { name: 'dlq replay', ids: ['m1', 'm2'], validFor: 600 },
      settings,
      deps(api.fetchApi),
    );
    expect(api.requests.map(({ url, body }) => [url, body])).toEqual([
      ['http://api:8080/v1/admin/dead-letters/m1/replay', { validFor: 600 }],
      ['http://api:8080/v1/admin/dead-letters/m2/replay', { validFor: 600 }],
    ]);
    expect(output).toMatchObject({ stdout: 'Replayed m1.', exitCode: 4 });
  });
});
