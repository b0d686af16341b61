import { ArchiveReader, createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { archiveStreamKeys, createProducerConnection, waitForRedis } from '@sms/queue';
import { recordIdentity, StatusStore } from '@sms/status-store';
import {
  newPrefix,
  type RedisCluster,
  startPostgres,
  startRedisCluster,
  type TestPostgres,
  waitFor,
} from '@sms/testing';
import { type ArchiverUnderTest, startArchiver } from './start-archiver';

// The hand-off and the archiver on a Redis Cluster (three primaries): the archive's keys carry
// the prefix's hash tag, so the status scripts, the batch's pipeline and the clean-up script
// each touch one slot.
let cluster: RedisCluster;
let postgres: TestPostgres;
let archiver: ArchiverUnderTest;
let connection: ReturnType<typeof createProducerConnection<RedisCluster['target']>>;
const queuePrefix = newPrefix();

beforeAll(async () => {
  [cluster, postgres] = await Promise.all([startRedisCluster(), startPostgres()]);
  connection = createProducerConnection(cluster.target);
  connection.on('error', () => {});
  await waitForRedis(connection, { warn: () => {} });
  archiver = await startArchiver({ redisEnv: cluster.env, queuePrefix, databaseUrl: postgres.url });
}, 90_000);
afterAll(async () => {
  await archiver?.stop();
  connection?.disconnect();
  await cluster?.stop();
  await postgres?.stop();
});

it('archives final records written on a cluster and gives them the hot window', async () => {
  const prefix = redisKeyPrefix(queuePrefix);
  const statusStore = new StatusStore(connection, { prefix, retentionSeconds: 3_600 });
  const identity = recordIdentity({
    to: '573001234567',
    text: 'hi',
    client: 'billing',
    acceptedAt: Date.now(),
  });
  const ids = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`);
  for (const id of ids) {
    await statusStore.write(
      id,
      { status: 'accepted', attempts: 1, ...identity },
      {
        attempt: 1,
        code: 2020,
        outcome: 'success',
        message: 'ok',
        at: 1,
      },
    );
  }
  const pool = createArchivePool(postgres.url);
  try {
    const reader = new ArchiveReader(pool);
    await waitFor(
      async () =>
        (await Promise.all(ids.map((id) => reader.read(id)))).every(
          (message) => message?.status === 'accepted',
        ) && (await connection.xlen(archiveStreamKeys(prefix).stream)) === 0,
      { timeoutMs: 30_000, description: 'the 20 records archived and the stream drained' },
    );
  } finally {
    await pool.end();
  }
  expect(await connection.pttl(statusStore.key(ids[0]!))).toBeLessThanOrEqual(60_000);
});
