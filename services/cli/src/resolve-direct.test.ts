import { NO_REDIS_NAMED, resolveDirect } from './resolve-direct';

describe('resolveDirect', () => {
  it('refuses when neither --redis-url nor a variable names a Redis, whatever else is set', () => {
    for (const env of [
      {},
      { REDIS_URL: '' },
      { REDIS_PASSWORD: 'pw', QUEUE_PREFIX: 'gw', SEND_ATTEMPTS: '3' },
    ]) {
      expect(resolveDirect(undefined, env)).toEqual({ ok: false, message: NO_REDIS_NAMED });
    }
  });

  it('takes the Redis, prefix and attempts the gateway is configured with', () => {
    const env = { REDIS_URL: 'redis://:pw@r:6380/2', QUEUE_PREFIX: 'gw2', SEND_ATTEMPTS: '5' };
    expect(resolveDirect(undefined, env)).toEqual({
      ok: true,
      settings: {
        target: { kind: 'server', url: 'redis://:pw@r:6380/2' },
        prefix: '{gw2}',
        sendAttempts: 5,
        callbacks: { attempts: 12, outboxRetentionSeconds: 604_800 },
        where: 'redis://:***@r:6380/2',
      },
    });
    expect(resolveDirect(undefined, { REDIS_CLUSTER_NODES: 'n1:7000' })).toMatchObject({
      settings: { target: { kind: 'cluster' }, prefix: '{sms}', sendAttempts: 8 },
    });
  });

  it('puts --redis-url in place of every variable that names a Redis, keeping the credentials', () => {
    const env = { REDIS_SENTINELS: 's1', REDIS_SENTINEL_MASTER: 'main', REDIS_PASSWORD: 'pw' };
    expect(resolveDirect('redis://other:6379', env)).toMatchObject({
      ok: true,
      settings: { target: { kind: 'server', url: 'redis://other:6379', password: 'pw' } },
    });
  });

  it('lists every problem of the configuration, naming --redis-url for REDIS_URL', () => {
    const result = resolveDirect('http://r', { SEND_ATTEMPTS: 'many' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/REDIS_URL: must start with redis:\/\//);
    expect(!result.ok && result.message).toMatch(/SEND_ATTEMPTS: /);
    expect(!result.ok && result.message).toMatch(/\(REDIS_URL is --redis-url here\)$/);
  });
});
