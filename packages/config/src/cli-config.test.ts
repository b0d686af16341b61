import { cliConfigSchema, namedRedisTarget } from './cli-config';
import { loadConfig } from './load-config';

describe('the Redis of the command line', () => {
  it('is none when no variable names one, never the local default', () => {
    expect(namedRedisTarget(loadConfig(cliConfigSchema, {}))).toBeUndefined();
    expect(namedRedisTarget(loadConfig(cliConfigSchema, { REDIS_PASSWORD: 'pw' }))).toBeUndefined();
  });

  it.each([
    [
      { REDIS_URL: 'redis://a:6380', REDIS_PASSWORD: 'pw' },
      { kind: 'server', url: 'redis://a:6380', password: 'pw' },
    ],
    [
      { REDIS_SENTINELS: 's1,s2:26380', REDIS_SENTINEL_MASTER: 'main' },
      { kind: 'sentinel', masterName: 'main' },
    ],
    [{ REDIS_CLUSTER_NODES: 'n1:7000' }, { kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }] }],
  ])('is the one %p names', (env, target) => {
    expect(namedRedisTarget(loadConfig(cliConfigSchema, env))).toMatchObject(target);
  });

  it('keeps the queue prefix and the attempts a replay gets', () => {
    const config = loadConfig(cliConfigSchema, { QUEUE_PREFIX: 'gw2', SEND_ATTEMPTS: '6' });
    expect([config.QUEUE_PREFIX, config.SEND_ATTEMPTS]).toEqual(['gw2', 6]);
  });
});
