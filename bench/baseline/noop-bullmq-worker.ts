// Baseline of the delivery benchmark: a BullMQ worker with the gateway worker's queue settings
// (concurrency, lock duration) and a processor that does nothing, so the ratio shows the cost of
// sending, the status records and the policy on top of BullMQ's own job handling.
import { redisKeyPrefix } from '@sms/config';
import { SMS_QUEUE } from '@sms/queue';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { command, emit, numberArg, readArgs, stringArg } from '../harness/child-protocol';

const args = readArgs();
const count = numberArg(args, 'count');
const connection = new Redis(stringArg(args, 'redis-url'), { maxRetriesPerRequest: null });
const worker = new Worker(SMS_QUEUE, async () => {}, {
  connection,
  prefix: redisKeyPrefix(stringArg(args, 'prefix')),
  concurrency: numberArg(args, 'concurrency'),
  lockDuration: 30_000,
  stalledInterval: 30_000,
  autorun: false,
});

async function main(): Promise<void> {
  await worker.waitUntilReady();
  emit('ready');
  await command('go');
  const started = performance.now();
  let completed = 0;
  const finished = new Promise<void>((resolve) => {
    worker.on('completed', () => {
      completed++;
      if (completed === count) resolve();
    });
  });
  void worker.run();
  await finished;
  emit('result', { completed, elapsedMs: performance.now() - started });
  await command('exit');
  await worker.close();
  connection.disconnect();
  process.exit(0);
}

void main();
