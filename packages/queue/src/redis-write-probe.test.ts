import { mountTinyDisk, type RedisServer, startRedisServer, type TinyDisk } from '@sms/testing';
import Redis from 'ioredis';
import { redisRefusalOf } from './redis-refusal';
import { redisWriteRefusal } from './redis-write-probe';

describe('redisWriteRefusal', () => {
  let redis: RedisServer;
  let connection: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    connection = new Redis(redis.url);
  });
  afterAll(async () => {
    connection?.disconnect();
    await redis?.stop();
  });

  it('says Redis takes writes, then that it refuses them at maxmemory, then takes them again', async () => {
    expect(await redisWriteRefusal(connection, 'probe')).toBeUndefined();
    // A PING passes all along: the reason readiness must write.
    await connection.config('SET', 'maxmemory', '1');
    try {
      expect(await redisWriteRefusal(connection, 'probe')).toEqual({
        code: 'OOM',
        reason: 'Redis is out of memory (maxmemory reached) and refuses writes',
      });
      expect(await connection.ping()).toBe('PONG');
    } finally {
      await connection.config('SET', 'maxmemory', '0');
    }
    expect(await redisWriteRefusal(connection, 'probe')).toBeUndefined();
  });

  it('reads a transaction discarded for a refused command as that refusal', async () => {
    await connection.config('SET', 'maxmemory', '1');
    try {
      const error = await connection
        .multi()
        .set('a', '1')
        .exec()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(redisRefusalOf(error)).toMatchObject({ code: 'OOM' });
    } finally {
      await connection.config('SET', 'maxmemory', '0');
    }
  });

  it('throws when Redis cannot be reached at all: that is not a refusal', async () => {
    const nowhere = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await expect(redisWriteRefusal(nowhere, 'probe')).rejects.toThrow();
    nowhere.disconnect();
  });
});

describe('redisWriteRefusal on a full disk', () => {
  let disk: TinyDisk | undefined;
  let redis: RedisServer | undefined;
  let connection: Redis | undefined;
  afterAll(async () => {
    connection?.disconnect();
    await redis?.stop();
    disk?.remove();
  });

  it('says Redis refuses writes once its append-only file cannot grow (MISCONF)', async () => {
    const mounted = mountTinyDisk(2_048);
    if ('unavailable' in mounted) {
      console.warn(`skipped: ${mounted.unavailable}`);
      return;
    }
    disk = mounted;
    redis = await startRedisServer({ appendOnly: true, dir: disk.dir });
    connection = new Redis(redis.url);
    const value = 'x'.repeat(64 * 1024);
    // Fill the disk until Redis refuses: about 32 writes of 64 KiB on 2 MiB. (With appendfsync
    // always, Redis would exit instead.)
    let refused: unknown;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      await connection.set(`fill:${i}`, value).catch((error: unknown) => {
        refused = error;
      });
    }
    expect(redisRefusalOf(refused)).toMatchObject({ code: 'MISCONF' });
    expect(await redisWriteRefusal(connection, 'probe')).toMatchObject({ code: 'MISCONF' });
  });
});
