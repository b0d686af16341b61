import { apiConfigSchema } from './api-config';
import { cliConfigSchema } from './cli-config';
import { loadConfig } from './load-config';
import { redisKeyPrefix } from './redis-key-prefix';
import { describeRedisTarget, redisTargetOf } from './redis-target';
import { problemsOf, workerEnv } from './test-fixtures';
import { workerConfigSchema } from './worker-config';

const apiEnv = { API_KEYS: 'shop=k3y-0f-the-shop-0123' };

const targetOf = (env: Record<string, string>) =>
  redisTargetOf(loadConfig(apiConfigSchema, { ...apiEnv, ...env }));

describe('the Redis target of a configuration', () => {
  it('is the local server when no variable names one', () => {
    expect(targetOf({})).toEqual({ kind: 'server', url: 'redis://127.0.0.1:6379' });
  });

  it('is the server of REDIS_URL, with a password from REDIS_PASSWORD when the URL has none', () => {
    expect(targetOf({ REDIS_URL: 'rediss://redis.example:6380/2', REDIS_PASSWORD: 'pw' })).toEqual({
      kind: 'server',
      url: 'rediss://redis.example:6380/2',
      password: 'pw',
    });
  });

  it('is a Sentinel set from REDIS_SENTINELS and REDIS_SENTINEL_MASTER, ports defaulting to 26379', () => {
    const env = {
      REDIS_SENTINELS: 'sentinel-a:26380, sentinel-b,[::1]:5000',
      REDIS_SENTINEL_MASTER: 'gateway',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      REDIS_USERNAME: 'sms',
      REDIS_PASSWORD: 'data-pw',
      REDIS_TLS: 'true',
    };
    expect(targetOf(env)).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 'sentinel-a', port: 26_380 },
        { host: 'sentinel-b', port: 26_379 },
        { host: '::1', port: 5_000 },
      ],
      masterName: 'gateway',
      sentinelPassword: 'sentinel-pw',
      username: 'sms',
      password: 'data-pw',
      tls: true,
    });
  });

  it('is a Cluster from REDIS_CLUSTER_NODES, ports defaulting to 6379', () => {
    expect(targetOf({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-2', REDIS_PASSWORD: 'pw' })).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7_000 },
        { host: 'redis-2', port: 6_379 },
      ],
      password: 'pw',
      tls: false,
    });
  });

  it.each([
    [{ kind: 'server', url: 'redis://:hunter2@redis:6379' }, 'redis://:***@redis:6379'],
    [
      {
        kind: 'sentinel',
        sentinels: [{ host: 'a', port: 26379 }],
        masterName: 'm',
        password: 'x',
        tls: false,
      },
      'Sentinel primary "m" via a:26379',
    ],
    [
      { kind: 'cluster', nodes: [{ host: '::1', port: 7000 }], password: 'x', tls: false },
      'Cluster via [::1]:7000',
    ],
  ] as const)('is described without its password: %j', (target, described) => {
    expect(describeRedisTarget(target)).toBe(described);
  });

  it('reads REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD from files like any secret', () => {
    expect(
      Object.keys(apiConfigSchema.shape).filter((name) => /PASSWORD$/.test(name) && name.startsWith('REDIS')),
    ).toEqual(['REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD']);
  });
});

describe('the Redis variables taken together', () => {
  it.each([
    [
      'REDIS_URL and REDIS_SENTINELS',
      { REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 'b:26379', REDIS_SENTINEL_MASTER: 'm' },
      [
        'REDIS_SENTINELS: cannot be combined with REDIS_URL: set exactly one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES',
      ],
    ],
    [
      'REDIS_URL and REDIS_CLUSTER_NODES',
      { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' },
      [
        'REDIS_CLUSTER_NODES: cannot be combined with REDIS_URL: set exactly one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES',
      ],
    ],
    [
      'REDIS_SENTINELS and REDIS_CLUSTER_NODES',
      { REDIS_SENTINELS: 'b:26379', REDIS_SENTINEL_MASTER: 'm', REDIS_CLUSTER_NODES: 'c:7000' },
      [
        'REDIS_CLUSTER_NODES: cannot be combined with REDIS_SENTINELS: set exactly one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES',
      ],
    ],
    [
      'REDIS_SENTINELS without a master',
      { REDIS_SENTINELS: 'b:26379' },
      ['REDIS_SENTINEL_MASTER: is required with REDIS_SENTINELS'],
    ],
    [
      'sentinel settings without sentinels',
      { REDIS_SENTINEL_MASTER: 'm', REDIS_SENTINEL_PASSWORD: 'pw' },
      [
        'REDIS_SENTINEL_MASTER: applies only with REDIS_SENTINELS',
        'REDIS_SENTINEL_PASSWORD: applies only with REDIS_SENTINELS',
      ],
    ],
    [
      'REDIS_TLS with a URL',
      { REDIS_URL: 'redis://a:6379', REDIS_TLS: 'true' },
      ['REDIS_TLS: applies only to REDIS_SENTINELS or REDIS_CLUSTER_NODES: use rediss:// in REDIS_URL'],
    ],
    [
      'REDIS_TLS without sentinels or cluster nodes',
      { REDIS_TLS: 'yes' },
      ['REDIS_TLS: applies only to REDIS_SENTINELS or REDIS_CLUSTER_NODES: use rediss:// in REDIS_URL'],
    ],
    [
      'a password in REDIS_URL and REDIS_PASSWORD',
      { REDIS_URL: 'redis://:pw@a:6379', REDIS_PASSWORD: 'other' },
      ['REDIS_PASSWORD: REDIS_URL has a password already: set it in only one of them'],
    ],
    [
      'a user in REDIS_URL and REDIS_USERNAME',
      { REDIS_URL: 'redis://sms:pw@a:6379', REDIS_USERNAME: 'other' },
      ['REDIS_USERNAME: REDIS_URL has a user already: set it in only one of them'],
    ],
    [
      'an empty node list',
      { REDIS_CLUSTER_NODES: ' , ' },
      ['REDIS_CLUSTER_NODES: needs at least one host:port'],
    ],
    [
      'a node that is no host:port',
      { REDIS_CLUSTER_NODES: 'a:7000,http://b:7001,c:99999' },
      [
        'REDIS_CLUSTER_NODES: "http://b:7001" is not a host:port',
        'REDIS_CLUSTER_NODES: "c:99999" is not a host:port',
      ],
    ],
  ])('refuses %s, naming the variable to fix', (_name, env, problems) => {
    for (const schema of [apiConfigSchema, workerConfigSchema, cliConfigSchema]) {
      const base = schema === apiConfigSchema ? apiEnv : schema === workerConfigSchema ? workerEnv : {};
      expect(problemsOf(() => loadConfig(schema, { ...base, ...env }))).toEqual(problems);
    }
  });

  it('reports a topology conflict together with the other problems', () => {
    const env = { ...apiEnv, API_PORT: 'x', REDIS_URL: 'redis://a', REDIS_CLUSTER_NODES: 'b:7000' };
    expect(problemsOf(() => loadConfig(apiConfigSchema, env)).map((p) => p.slice(0, p.indexOf(':')))).toEqual(
      ['API_PORT', 'REDIS_CLUSTER_NODES'],
    );
  });
});

describe('REDIS_WAIT_REPLICAS', () => {
  it('waits for the given replicas, up to REDIS_WAIT_TIMEOUT_MS', () => {
    const config = loadConfig(apiConfigSchema, {
      ...apiEnv,
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '500',
    });
    expect([config.REDIS_WAIT_REPLICAS, config.REDIS_WAIT_TIMEOUT_MS]).toEqual([1, 500]);
  });

  it('refuses a wait that the request timeout would cut short', () => {
    const env = {
      ...apiEnv,
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '2000',
      ENQUEUE_TIMEOUT_MS: '1500',
    };
    expect(problemsOf(() => loadConfig(apiConfigSchema, env))).toEqual([
      'REDIS_WAIT_TIMEOUT_MS: must be below ENQUEUE_TIMEOUT_MS',
    ]);
  });

  it('ignores REDIS_WAIT_TIMEOUT_MS while nothing waits', () => {
    const env = { ...apiEnv, REDIS_WAIT_TIMEOUT_MS: '2000', ENQUEUE_TIMEOUT_MS: '1500' };
    expect(loadConfig(apiConfigSchema, env).REDIS_WAIT_TIMEOUT_MS).toBe(2_000);
  });
});

describe('redisKeyPrefix', () => {
  it('puts QUEUE_PREFIX in braces, so that Redis Cluster hashes every key of a gateway alike', () => {
    expect(redisKeyPrefix('sms')).toBe('{sms}');
  });
});
