import { buildRequest } from './build-request';
import { CLI_VERSION } from './version';

const settings = { apiUrl: 'http://api:8080', key: 'the-key', timeoutMs: 1000, json: false };
const headers = {
  accept: 'application/json',
  authorization: 'Bearer the-key',
  'user-agent': `sms-cli/${CLI_VERSION}`,
};
const jsonHeaders = { ...headers, 'content-type': 'application/json' };

describe('buildRequest', () => {
  it('posts a send with every field and its Idempotency-Key', () => {
    const fields = {
      to: '573001234567',
      text: 'Hi',
      from: 'ACME',
      validFor: 600,
      priority: 'bulk',
      sendAt: '2030-05-01T09:00:00Z',
      reference: 'order-17',
    };
    const request = buildRequest({ name: 'send', fields, idempotencyKey: 'k-1' }, settings);
    expect(request).toEqual({
      method: 'POST',
      url: 'http://api:8080/v1/sms',
      headers: { ...jsonHeaders, 'idempotency-key': 'k-1' },
      body: JSON.stringify(fields),
    });
  });

  it.each([
    [{ name: 'status', id: 'm1' }, 'GET', '/v1/sms/m1'],
    [{ name: 'cancel', id: 'm1' }, 'DELETE', '/v1/sms/m1'],
    [{ name: 'find', reference: 'order 17/a' }, 'GET', '/v1/sms?reference=order+17%2Fa'],
    [{ name: 'dlq list', query: {} }, 'GET', '/v1/admin/dead-letters'],
    [
      { name: 'dlq list', query: { reason: 'expired', since: '2024-05-01T00:00:00+02:00' } },
      'GET',
      '/v1/admin/dead-letters?reason=expired&since=2024-05-01T00%3A00%3A00%2B02%3A00',
    ],
    [{ name: 'dlq show', id: 'm1' }, 'GET', '/v1/admin/dead-letters/m1'],
    [{ name: 'dlq replay', id: 'm1' }, 'POST', '/v1/admin/dead-letters/m1/replay'],
    [{ name: 'dlq delete', id: 'm1' }, 'DELETE', '/v1/admin/dead-letters/m1'],
  ] as const)('calls %p as %s %s, without a body', (call, method, path) => {
    expect(buildRequest(call, settings)).toEqual({ method, url: `http://api:8080${path}`, headers });
  });

  it('sends the validity of a replay as JSON', () => {
    expect(buildRequest({ name: 'dlq replay', id: 'm1', validFor: 3600 }, settings)).toEqual({
      method: 'POST',
      url: 'http://api:8080/v1/admin/dead-letters/m1/replay',
      headers: jsonHeaders,
      body: '{"validFor":3600}',
    });
  });

  it('keeps any id within one path segment', () => {
    expect(buildRequest({ name: 'status', id: '../admin/x?y#z' }, settings).url).toBe(
      'http://api:8080/v1/sms/..%2Fadmin%2Fx%3Fy%23z',
    );
  });
});
