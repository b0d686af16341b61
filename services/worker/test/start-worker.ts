import { randomUUID } from 'node:crypto';
import { loadConfig, type WorkerConfig, workerConfigSchema } from '@sms/config';
import type { SmsJobData } from '@sms/contracts';
import type { WorkerMetrics } from '@sms/metrics';
import {
  createSmsQueue,
  createWorkerConnection,
  type DeadLetterQueue,
  enqueueSms,
  type SmsQueue,
} from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import type { Worker } from 'bullmq';
import pino, { type Logger } from 'pino';
import { createWorkerRuntime } from '../src/create-worker-runtime';
import type { RedisWriteHealth } from '../src/redis-write-health';
import type { GateSettings, SendingGate } from '../src/sending-gate';

export interface WorkerUnderTest {
  readonly prefix: string;
  /** A plain connection to the worker's Redis, for looking at keys. */
  readonly redis: import('ioredis').default;
  readonly worker: Worker<SmsJobData>;
  readonly queue: SmsQueue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly statusStore: StatusStore;
  readonly metrics: WorkerMetrics;
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
 * The configuration `startWorker` runs with, as `main.ts` would load it from these variables:
 * concurrency 8, retries 10-50 ms apart, hold 200 ms, circuit open 300 ms, retention 1 h, the
 * status server on a free port of 127.0.0.1.
 */
export function workerTestConfig(redisUrl: string, options: WorkerTestOptions): WorkerConfig {
  const circuit = { failureRatio: 0.5, minCalls: 20, windowMs: 10_000, openMs: 300, ...options.circuit };
  return loadConfig(workerConfigSchema, {
    REDIS_URL: redisUrl,
    KAARAI_URL: options.kaaraiUrl,
    KAARAI_USER: options.user ?? 'gateway',
    KAARAI_PASSWORD: options.password ?? 'secret',
    KAARAI_TIMEOUT_MS: String(options.timeoutMs ?? 5_000),
    WORKER_CONCURRENCY: '8',
    RETRY_BASE_DELAY_MS: '10',
    RETRY_MAX_DELAY_MS: '50',
    HOLD_PROBE_INTERVAL_MS: String(options.holdMs ?? 200),
    CIRCUIT_FAILURE_RATIO: String(circuit.failureRatio),
    CIRCUIT_MIN_CALLS: String(circuit.minCalls),
    CIRCUIT_WINDOW_MS: String(circuit.windowMs),
    CIRCUIT_OPEN_MS: String(circuit.openMs),
    RATE_LIMIT_PER_SECOND: String(options.ratePerSecond ?? 0),
    STATUS_RETENTION_SECONDS: '3600',
    WORKER_HTTP_PORT: '0',
    WORKER_HTTP_HOST: '127.0.0.1',
  });
}

/**
 * The worker `main.ts` runs (`createWorkerRuntime`), built in this process on a real Redis,
 * sending to a real simulator, with retry delays of milliseconds so that tests of retries run
 * quickly, and its status server on a free port of 127.0.0.1.
 */
export async function startWorker(redisUrl: string, options: WorkerTestOptions): Promise<WorkerUnderTest> {
  const prefix = options.prefix ?? `t${randomUUID().slice(0, 8)}`;
  const config = workerTestConfig(redisUrl, options);
  const runtime = createWorkerRuntime(config, {
    logger: options.logger ?? pino({ level: 'silent' }),
    ...(options.ca !== undefined && { kaaraiCa: options.ca }),
    // The prefix as given: an API built in-process by a test uses it without braces.
    keyPrefix: prefix,
    writeProbeBackoff: { minMs: 50, maxMs: 500 },
  });
  const running = await runtime.start();
  await running.worker.waitUntilReady();
  const redis = createWorkerConnection({ kind: 'server', url: redisUrl });
  const queue = createSmsQueue({ connection: redis, prefix });
  return {
    prefix,
    redis,
    worker: running.worker,
    queue,
    deadLetterQueue: running.deadLetterQueue,
    statusStore: running.statusStore,
    metrics: running.metrics,
    gate: running.gate,
    writeHealth: running.writeHealth,
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
      await runtime.stop();
      await queue.close();
      redis.disconnect();
    },
  };
}
