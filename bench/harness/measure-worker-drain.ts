import { redisKeyPrefix } from '@sms/config';
import type { SmsJobData } from '@sms/contracts';
import { SMS_QUEUE } from '@sms/queue';
import { queueJobCounts, waitFor } from '@sms/testing';
import { Queue } from 'bullmq';
import type { BenchEnvironment, ServiceOptions } from './bench-environment';
import { fillBacklog } from './fill-backlog';
import { CpuMeter } from './process-cpu';
import { usedMemory } from './redis-memory';
import { settleRedis } from './settle-redis';

export interface WorkerDrain {
  readonly messages: number;
  readonly elapsedMs: number;
  readonly messagesPerSecond: number;
  /** CPU microseconds of each process from the queue's resume to the last message received. */
  readonly cpuMicros: Record<string, number>;
  /** Redis' used_memory before the fill, with the backlog waiting, and after the drain. */
  readonly usedMemory: { readonly before: number; readonly waiting: number; readonly drained: number };
}

/**
 * Fills the send queue with `messages` API-shaped jobs while it is paused, starts `replicas`
 * gateway worker processes (one by default), then resumes the queue and times the workers from
 * the resume until the simulator has received every message. Their CPU is reported as `worker`,
 * all replicas together.
 */
export async function measureWorkerDrain(
  env: BenchEnvironment,
  messages: number,
  workerOptions: ServiceOptions = {},
  replicas = 1,
): Promise<WorkerDrain> {
  const { connection, prefix, simulator } = env;
  const queue = new Queue<SmsJobData>(SMS_QUEUE, { connection, prefix: redisKeyPrefix(prefix) });
  try {
    await queue.pause();
    await settleRedis(connection);
    const before = await usedMemory(connection);
    await fillBacklog(connection, prefix, messages, 'worker');
    const waiting = await usedMemory(connection);
    // Only the first replica writes a CPU profile: one profile tells where a worker's time goes.
    const { cpuProfileDir: _profileOfTheFirst, ...withoutProfile } = workerOptions;
    const workers = [];
    for (let replica = 0; replica < replicas; replica++) {
      workers.push(await env.startWorker(replica === 0 ? workerOptions : withoutProfile));
    }
    await simulator.admin.reset();
    await settleRedis(connection);
    const workerPids = Object.fromEntries(
      workers.map((worker, replica) => [`worker ${replica + 1}`, worker.pid]),
    );
    const meter = CpuMeter.start({ ...workerPids, redis: env.redisPid, simulator: simulator.pid });
    const started = performance.now();
    await queue.resume();
    await waitFor(async () => (await simulator.admin.stats()).recorded >= messages, {
      timeoutMs: Math.max(120_000, messages * 20),
      intervalMs: 20,
      description: `the simulator to receive ${messages} messages`,
    });
    const elapsedMs = performance.now() - started;
    const { redis, simulator: simulatorCpu, ...perWorker } = meter.read();
    const cpuMicros: Record<string, number> = {
      worker: Object.values(perWorker).reduce((sum, micros) => sum + micros, 0),
      ...(redis !== undefined && { redis }),
      ...(simulatorCpu !== undefined && { simulator: simulatorCpu }),
    };
    // The worker records each outcome after Kaarai's answer: wait for the last jobs to finish.
    await waitFor(async () => (await queueJobCounts(env.redis.url, prefix, SMS_QUEUE)).total === 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the send queue to empty',
    });
    await Promise.all(workers.map((worker) => worker.stop()));
    const drained = await usedMemory(connection);
    return {
      messages,
      elapsedMs,
      messagesPerSecond: (messages / elapsedMs) * 1000,
      cpuMicros,
      usedMemory: { before, waiting, drained },
    };
  } finally {
    await queue.close();
  }
}
