import { join } from 'node:path';
import { spawnBenchChild } from '../harness/bench-child';
import type { BenchEnvironment } from '../harness/bench-environment';
import { fillBacklog } from '../harness/fill-backlog';
import { measureWorkerDrain } from '../harness/measure-worker-drain';
import { CpuMeter } from '../harness/process-cpu';
import { settleRedis } from '../harness/settle-redis';
import type { Scenario } from '../scenario';

interface BaselineRun {
  readonly elapsedMs: number;
  readonly messagesPerSecond: number;
  readonly cpuMicros: Record<string, number>;
}

/**
 * A backlog drained by one gateway worker process (services/worker/src/main.ts, production
 * settings, plain HTTP to the simulator), against (a) a plain axios loop with the same
 * concurrency and keep-alive agent and (b) a BullMQ worker with a no-op processor on the same
 * Redis: each in its own process, each timed from its start to its last message.
 */
export const deliveryThroughput: Scenario = {
  name: 'delivery',
  title: 'Delivery throughput (backlog drained by one worker)',
  run: async ({ sizes, log, profileDir, environment }) => {
    const { messages, concurrency } = sizes.delivery;
    const env = await environment();
    try {
      log(`plain axios loop: ${messages} messages, ${concurrency} in flight`);
      const axiosLoop = await runAxiosLoop(env, messages, concurrency);
      log(`no-op BullMQ worker: ${messages} jobs`);
      const noop = await runNoopWorker(env, messages, concurrency);
      log(`gateway worker: ${messages} messages`);
      const drain = await measureWorkerDrain(
        env,
        messages,
        profileDir === undefined ? {} : { cpuProfileDir: join(profileDir, 'worker') },
      );
      const perMessage = (cpu: Record<string, number>, name: string) => (cpu[name] ?? 0) / messages;
      const keptPerMessage = (drain.usedMemory.drained - drain.usedMemory.before) / messages;
      return {
        figures: [
          {
            figure: 'delivered/s',
            value: drain.messagesPerSecond,
            unit: 'msg/s',
            baseline: { name: 'axios loop', value: axiosLoop.messagesPerSecond },
            target: { on: 'ratio', op: '>=', limit: 0.85 },
          },
          {
            figure: 'delivered/s',
            value: drain.messagesPerSecond,
            unit: 'msg/s',
            baseline: { name: 'no-op BullMQ worker', value: noop.messagesPerSecond },
          },
          {
            figure: 'worker CPU per message',
            value: perMessage(drain.cpuMicros, 'worker'),
            unit: 'µs',
            baseline: { name: 'axios loop', value: perMessage(axiosLoop.cpuMicros, 'sender') },
          },
          {
            figure: 'worker CPU per message',
            value: perMessage(drain.cpuMicros, 'worker'),
            unit: 'µs',
            baseline: { name: 'no-op BullMQ worker', value: perMessage(noop.cpuMicros, 'sender') },
          },
          {
            figure: 'Redis memory kept per delivered message',
            value: keptPerMessage,
            unit: 'bytes',
          },
        ],
        details: {
          messages,
          concurrency,
          gateway: { ...drain, keptBytesPerMessage: keptPerMessage },
          axiosLoop,
          noopBullmq: noop,
          cpuMicrosPerMessage: {
            worker: perMessage(drain.cpuMicros, 'worker'),
            workerRedis: perMessage(drain.cpuMicros, 'redis'),
            workerSimulator: perMessage(drain.cpuMicros, 'simulator'),
            axiosLoop: perMessage(axiosLoop.cpuMicros, 'sender'),
            axiosSimulator: perMessage(axiosLoop.cpuMicros, 'simulator'),
            noopWorker: perMessage(noop.cpuMicros, 'sender'),
            noopRedis: perMessage(noop.cpuMicros, 'redis'),
          },
        },
      };
    } finally {
      await env.stop();
    }
  },
};

async function runAxiosLoop(
  env: BenchEnvironment,
  messages: number,
  concurrency: number,
): Promise<BaselineRun> {
  const child = spawnBenchChild('baseline/axios-loop.ts', [
    ...['--url', env.simulator.url, '--count', String(messages), '--concurrency', String(concurrency)],
    ...['--user', 'gateway', '--password', 'secret'],
  ]);
  try {
    await child.next('ready', 60_000);
    await env.simulator.admin.reset();
    return await timeChild(child, { sender: child.pid, simulator: env.simulator.pid }, messages, 'accepted');
  } finally {
    await child.stop();
  }
}

async function runNoopWorker(
  env: BenchEnvironment,
  messages: number,
  concurrency: number,
): Promise<BaselineRun> {
  const prefix = `${env.prefix}noop`;
  await fillBacklog(env.connection, prefix, messages, 'noop');
  const child = spawnBenchChild('baseline/noop-bullmq-worker.ts', [
    ...['--redis-url', env.redis.url, '--prefix', prefix],
    ...['--count', String(messages), '--concurrency', String(concurrency)],
  ]);
  try {
    await child.next('ready', 60_000);
    await settleRedis(env.connection);
    return await timeChild(child, { sender: child.pid, redis: env.redisPid }, messages, 'completed');
  } finally {
    await child.stop();
  }
}

async function timeChild(
  child: ReturnType<typeof spawnBenchChild>,
  pids: Record<string, number | undefined>,
  messages: number,
  countField: string,
): Promise<BaselineRun> {
  const meter = CpuMeter.start(pids);
  child.send('go');
  const result = await child.next('result', Math.max(120_000, messages * 20));
  const cpuMicros = meter.read();
  child.send('exit');
  const elapsedMs = Number(result.elapsedMs);
  if (Number(result[countField]) !== messages)
    throw new Error(`expected ${messages} ${countField}, got ${JSON.stringify(result)}`);
  return { elapsedMs, messagesPerSecond: (messages / elapsedMs) * 1000, cpuMicros };
}
