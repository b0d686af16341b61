import { join } from 'node:path';
import { createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { ARCHIVE_GROUP, archiveStreamKeys, SMS_QUEUE } from '@sms/queue';
import { PostgresMissingError, postgresBinDir, startPostgres, waitFor } from '@sms/testing';
import type Redis from 'ioredis';
import type { BenchEnvironment } from '../harness/bench-environment';
import { countKeys } from '../harness/count-keys';
import { measureWorkerDrain, type WorkerDrain } from '../harness/measure-worker-drain';
import { CpuMeter } from '../harness/process-cpu';
import { ProcessTreeCpuMeter, parentPid } from '../harness/process-tree-cpu';
import { usedMemory } from '../harness/redis-memory';
import type { Scenario } from '../scenario';

type Pool = ReturnType<typeof createArchivePool>;

// The archiver's hot window while it drains the backlog: long, so that its records stay in
// Redis to be weighed once archived.
const LONG_HOT_SECONDS = 3_600;

/** Redis' memory less BullMQ's events stream, which is capped (about 10,000 events) whatever the traffic. */
interface MemoryReading {
  readonly usedMemory: number;
  readonly eventsStream: number;
  readonly counted: number;
}

/**
 * The history archive's three costs, in one run, on messages delivered by one worker process
 * as the `delivery` scenario drains them (API-shaped jobs, no Idempotency-Key):
 * 1. Redis memory a delivered message leaves once its hot window has passed, with an archiver
 *    running beside the worker (STATUS_HOT_SECONDS of a second or two), against what it leaves
 *    without one: its record, kept for STATUS_RETENTION_SECONDS. INFO used_memory before the
 *    messages and after every record is archived and gone, less the capped events stream.
 * 2. The archiving rate: a backlog of final records left by the worker with the archiver
 *    stopped, drained by one archiver process, timed from its first batch to an empty stream,
 *    against the worker's delivery rate in the same run. CPU of the archiver and of PostgreSQL.
 * 3. PostgreSQL's disk per archived message: every partition with its indexes, over its rows.
 */
export const archiveHandOff: Scenario = {
  name: 'archive',
  title: 'History archive: Redis after the hot window, archiving rate, PostgreSQL disk',
  run: async ({ sizes, log, profileDir, environment }) => {
    const missing = postgresMissing();
    if (missing !== undefined) return { figures: [], details: {}, skipped: missing };
    const { messages, hotSeconds, batchSize } = sizes.archive;
    const postgres = await startPostgres();
    const pool = createArchivePool(postgres.url, { max: 1 });
    try {
      log(`without an archiver: ${messages} messages delivered`);
      const withoutArchive = await keptWithoutArchive(await environment(), messages);

      const env = await environment();
      let afterHot: Awaited<ReturnType<typeof keptAfterHotWindow>>;
      let backlog: Awaited<ReturnType<typeof drainBacklog>>;
      try {
        log(`with an archiver, STATUS_HOT_SECONDS=${hotSeconds}: ${messages} messages delivered`);
        afterHot = await keptAfterHotWindow(env, postgres.url, messages, { hotSeconds, batchSize });
        log(`archiver stopped: ${messages} messages delivered into a backlog, then drained by one archiver`);
        backlog = await drainBacklog(env, postgres.url, pool, messages, { batchSize, profileDir });
      } finally {
        await env.stop();
      }
      const disk = await archiveDisk(pool);

      const perMessage = (reading: MemoryReading, before: MemoryReading) =>
        (reading.counted - before.counted) / messages;
      const keptWithout = perMessage(withoutArchive.drained, withoutArchive.before);
      const keptAfterHot = perMessage(afterHot.gone, afterHot.before);
      const inHotWindow = perMessage(backlog.memory.archived, backlog.memory.before);
      const inBacklog = perMessage(backlog.memory.backlog, backlog.memory.before);
      const withoutArchiver = { name: 'no archiver: kept for the retention', value: keptWithout };
      const worker = { name: 'one worker delivering (same run)', value: backlog.delivery.messagesPerSecond };
      const archivedPerSecond = (backlog.archived / backlog.elapsedMs) * 1_000;
      const cpuPer = (micros: number) => micros / backlog.archived;
      return {
        figures: [
          {
            figure: 'Redis per delivered message after the hot window',
            value: keptAfterHot,
            unit: 'bytes',
            baseline: withoutArchiver,
            target: { on: 'value', op: '<=', limit: 50 },
          },
          { figure: 'Redis per record in the hot window', value: inHotWindow, unit: 'bytes' },
          { figure: 'Redis per record waiting to be archived', value: inBacklog, unit: 'bytes' },
          {
            figure: 'archived/s (one archiver, a backlog)',
            value: archivedPerSecond,
            unit: 'msg/s',
            baseline: worker,
            target: { on: 'ratio', op: '>=', limit: 5 },
          },
          {
            figure: 'archiver CPU per archived message',
            value: cpuPer(backlog.cpuMicros.archiver),
            unit: 'µs',
          },
          {
            figure: 'PostgreSQL CPU per archived message',
            value: cpuPer(backlog.cpuMicros.postgres),
            unit: 'µs',
          },
          { figure: 'PostgreSQL disk per archived message', value: disk.bytes / disk.rows, unit: 'bytes' },
        ],
        details: {
          messages,
          hotSeconds,
          batchSize,
          bytesPerMessage: { keptWithout, keptAfterHot, inHotWindow, inBacklog },
          withoutArchive,
          afterHot,
          backlog,
          archivedPerSecond,
          cpuMicrosPerArchived: Object.fromEntries(
            Object.entries(backlog.cpuMicros).map(([name, micros]) => [name, cpuPer(micros)]),
          ),
          disk,
        },
      };
    } finally {
      await pool.end();
      await postgres.stop();
    }
  },
};

function postgresMissing(): string | undefined {
  try {
    postgresBinDir();
    return undefined;
  } catch (error) {
    if (!(error instanceof PostgresMissingError)) throw error;
    return 'PostgreSQL (initdb, pg_ctl, postgres) is not installed; install Debian package postgresql to measure';
  }
}

/** What the delivery scenario measures as kept per delivered message: no stream, so no hand-off. */
async function keptWithoutArchive(env: BenchEnvironment, messages: number) {
  try {
    const before = await memoryOf(env);
    const drain = await measureWorkerDrain(env, messages);
    const drained = await memoryOf(env);
    return { before, drained, delivery: deliveryOf(drain) };
  } finally {
    await env.stop();
  }
}

/**
 * An archiver beside the worker with a short hot window: once the stream is empty, the records
 * expire a second or two later. Redis removes expired keys in the background, a sample at a
 * time; the SCAN that counts the records left also removes each expired one it visits, so the
 * wait ends when no record is left, not when the background cycle has got round to them all.
 */
async function keptAfterHotWindow(
  env: BenchEnvironment,
  databaseUrl: string,
  messages: number,
  { hotSeconds, batchSize }: { hotSeconds: number; batchSize: number },
) {
  const archiver = await env.startArchiver(databaseUrl, {
    env: { STATUS_HOT_SECONDS: String(hotSeconds), ARCHIVE_BATCH_SIZE: String(batchSize) },
  });
  await archiver.ready();
  const before = await memoryOf(env);
  const expiredBefore = await expiredKeys(env.connection);
  const drain = await measureWorkerDrain(env, messages);
  const delivered = performance.now();
  await streamDrained(env, messages);
  const archivedMs = performance.now() - delivered;
  const records = `${redisKeyPrefix(env.prefix)}:status:*`;
  await waitFor(async () => (await countKeys(env.connection, records)) === 0, {
    timeoutMs: hotSeconds * 1_000 + 60_000,
    intervalMs: 250,
    description: 'every status record to pass its hot window',
  });
  const goneMs = performance.now() - delivered;
  const gone = await memoryOf(env);
  const expired = (await expiredKeys(env.connection)) - expiredBefore;
  await archiver.stop();
  return { before, gone, expiredKeys: expired, archivedMs, goneMs, delivery: deliveryOf(drain) };
}

/**
 * The archiver of the previous phase is stopped, its stream and group stay: the worker's final
 * records are handed off and wait. Then one archiver (its hot window long, so that the records
 * stay to be weighed) drains them, timed from the first batch it finishes to the last.
 */
async function drainBacklog(
  env: BenchEnvironment,
  databaseUrl: string,
  pool: Pool,
  messages: number,
  { batchSize, profileDir }: { batchSize: number; profileDir: string | undefined },
) {
  const { stream } = archiveStreamKeys(redisKeyPrefix(env.prefix));
  const before = await memoryOf(env);
  const drain = await measureWorkerDrain(env, messages);
  const backlog = await memoryOf(env);
  const waiting = await env.connection.xlen(stream);
  if (waiting !== messages) throw new Error(`expected ${messages} entries in the backlog, found ${waiting}`);

  const postmaster = await postmasterPid(pool);
  const archiver = await env.startArchiver(databaseUrl, {
    env: { STATUS_HOT_SECONDS: String(LONG_HOT_SECONDS), ARCHIVE_BATCH_SIZE: String(batchSize) },
    ...(profileDir !== undefined && { cpuProfileDir: join(profileDir, 'archiver') }),
  });
  // Start-up (tsx compiling the archiver, connections, partitions) is not archiving: the clock
  // starts when the first batch has left the stream.
  const left = await waitFor(
    async () => {
      const length = await env.connection.xlen(stream);
      return length < messages && { length };
    },
    { timeoutMs: 60_000, intervalMs: 5, description: 'the archiver to finish its first batch' },
  );
  const meter = CpuMeter.start({ archiver: archiver.pid, redis: env.redisPid });
  const postgresMeter = ProcessTreeCpuMeter.start(postmaster);
  const started = performance.now();
  await waitFor(async () => (await env.connection.xlen(stream)) === 0, {
    timeoutMs: Math.max(120_000, messages * 20),
    intervalMs: 5,
    description: 'the archiver to drain the backlog',
  });
  const elapsedMs = performance.now() - started;
  const cpuMicros = { ...meter.read(), postgres: postgresMeter.read() } as Record<string, number> & {
    archiver: number;
    postgres: number;
  };
  await streamDrained(env, messages);
  const archived = await memoryOf(env);
  await archiver.stop();
  return {
    delivery: deliveryOf(drain),
    archived: left.length,
    firstBatch: messages - left.length,
    elapsedMs,
    cpuMicros,
    memory: { before, backlog, archived },
  };
}

/** The stream empty and nothing pending: every record of the phase is in PostgreSQL. */
async function streamDrained(env: BenchEnvironment, messages: number): Promise<void> {
  const { stream } = archiveStreamKeys(redisKeyPrefix(env.prefix));
  await waitFor(
    async () => {
      const [pending] = (await env.connection.xpending(stream, ARCHIVE_GROUP)) as [number];
      return (await env.connection.xlen(stream)) === 0 && pending === 0;
    },
    {
      timeoutMs: Math.max(120_000, messages * 20),
      intervalMs: 50,
      description: 'the archive stream to drain',
    },
  );
}

async function memoryOf(env: BenchEnvironment): Promise<MemoryReading> {
  const used = await usedMemory(env.connection);
  const events = `${redisKeyPrefix(env.prefix)}:${SMS_QUEUE}:events`;
  const eventsStream = Number((await env.connection.call('MEMORY', 'USAGE', events, 'SAMPLES', '0')) ?? 0);
  return { usedMemory: used, eventsStream, counted: used - eventsStream };
}

function deliveryOf(drain: WorkerDrain) {
  const { messagesPerSecond, elapsedMs, cpuMicros } = drain;
  return { messagesPerSecond, elapsedMs, cpuMicros };
}

async function expiredKeys(redis: Redis): Promise<number> {
  return Number(/^expired_keys:(\d+)/m.exec(await redis.info('stats'))?.[1]);
}

/** The postmaster: the parent of this connection's backend. */
async function postmasterPid(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return parentPid(rows[0]!.pid);
}

/** Every partition of `sms_messages` with its indexes and TOAST, and the rows they hold. */
async function archiveDisk(pool: Pool): Promise<{ rows: number; bytes: number; partitions: number }> {
  const { rows } = await pool.query<{ rows: string; bytes: string; partitions: string }>(
    `SELECT (SELECT count(*) FROM sms_messages) AS rows,
       sum(pg_total_relation_size(inhrelid)) AS bytes, count(*) AS partitions
     FROM pg_inherits WHERE inhparent = 'sms_messages'::regclass`,
  );
  const row = rows[0]!;
  return { rows: Number(row.rows), bytes: Number(row.bytes), partitions: Number(row.partitions) };
}
