import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { KaaraiClient } from '@sms/kaarai-client';
import { createWorkerMetrics } from '@sms/metrics';
import {
  createDeadLetterQueue,
  createSmsQueue,
  createWorkerConnection,
  enqueueSms,
  redisWriteRefusal,
  writeProbeKey,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import type { Worker } from 'bullmq';
import pino, { type Logger } from 'pino';
import { createSmsWorker } from '../src/create-sms-worker';
import { RedisWriteHealth } from '../src/redis-write-health';
import { type GateSettings, SendingGate } from '../src/sending-gate';

export interface WorkerUnderTest {
  readonly prefix: string;
  /** A plain connection to the worker's Redis, for looking at keys. */
  readonly redis: import('ioredis').default;
  readonly worker: Worker<SmsJobData>;
  readonly queue: ReturnType<typeof createSmsQueue>;
  readonly deadLetterQueue: ReturnType<typeof createDeadLetterQueue>;
  readonly statusStore: StatusStore;
  readonly metrics: ReturnType<typeof createWorkerMetrics>;
  readonly gate: SendingGate;
  readonly writeHealth: RedisWriteHealth;
  /** Enqueues a message the way the API does (with a fresh request id unless given) and returns its id. */
  send(
    sms: { to: string; text: string; from?: string; requestId?: string },
    attempts?: number,
    expiresAt?: number,
  ): Promise<string>;
  stop(): Promise<void>;
}

export interface WorkerTestOptions {
  readonly kaaraiUrl: string;
  readonly ca?: string;
  readonly user?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
  readonly holdMs?: number;
  readonly circuit?: Partial<GateSettings['circuit']>;
  readonly ratePerSecond?: number;
  /** Key prefix; a fresh one by default, the API's to share its queue. */
  readonly prefix?: string;
  /** @defaultValue a silent logger */
  readonly logger?: Logger;
}

/**
 * A worker built from its real parts, on a real Redis, sending to a real simulator, with
 * retry delays of milliseconds so that tests of retries run quickly.
 */
export async function startWorker(redisUrl: string, options: WorkerTestOptions): Promise<WorkerUnderTest> {
  const prefix = options.prefix ?? `t${randomUUID().slice(0, 8)}`;
  const workerRedis = createWorkerConnection({ kind: 'server', url: redisUrl });
  const redis = createWorkerConnection({ kind: 'server', url: redisUrl });
  const setup = { connection: redis, prefix };
  const queue = createSmsQueue(setup);
  const deadLetterQueue = createDeadLetterQueue(setup);
  const statusStore = new StatusStore(redis, { prefix, retentionSeconds: 3600 });
  const metrics = createWorkerMetrics();
  const kaarai = new KaaraiClient({
    url: options.kaaraiUrl,
    user: options.user ?? 'gateway',
    password: options.password ?? 'secret',
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.ca !== undefined && { ca: options.ca }),
  });
  const holdMs = options.holdMs ?? 200;
  const gate = new SendingGate(redis, {
    prefix,
    holdProbeIntervalMs: holdMs,
    circuit: { failureRatio: 0.5, minCalls: 20, windowMs: 10_000, openMs: 300, ...options.circuit },
    probeLeaseMs: (options.timeoutMs ?? 5_000) + 1_000,
  });
  const holder: { worker?: Worker<SmsJobData> } = {};
  const writeHealth = new RedisWriteHealth({
    probe: () => redisWriteRefusal(redis, writeProbeKey(prefix, 'worker')),
    onRefusing: () => void holder.worker?.pause(true),
    onRestored: () => holder.worker?.resume(),
    backoff: { minMs: 50, maxMs: 500 },
  });
  const worker = createSmsWorker(
    {
      connection: workerRedis,
      prefix,
      concurrency: 8,
      retry: { baseMs: 10, maxMs: 50 },
      holdMs,
      ...(options.ratePerSecond !== undefined && { ratePerSecond: options.ratePerSecond }),
    },
    {
      kaarai,
      statusStore,
      deadLetterQueue,
      gate,
      metrics,
      logger: options.logger ?? pino({ level: 'silent' }),
      writeHealth,
      onGivenUpNotRecorded: () => {},
    },
  );
  holder.worker = worker;
  await worker.waitUntilReady();
  return {
    prefix,
    redis,
    worker,
    queue,
    deadLetterQueue,
    statusStore,
    metrics,
    gate,
    writeHealth,
    send: async (sms, attempts = 5, expiresAt = Date.now() + 3_600_000) => {
      const id = randomUUID();
      await enqueueSms(
        queue,
        id,
        { requestId: randomUUID(), ...sms, client: 'billing', acceptedAt: Date.now(), expiresAt },
        { attempts },
      );
      return id;
    },
    stop: async () => {
      writeHealth.stop();
      await worker.close();
      await queue.close();
      await deadLetterQueue.close();
      kaarai.close();
      workerRedis.disconnect();
      redis.disconnect();
    },
  };
}
