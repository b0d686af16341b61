// `node --import tsx bench/resp-protocol.ts`: the gateway's own Redis traffic over RESP2 and over
// RESP3, on one redis-server, rounds alternating so that both see the same machine load. What it
// measures is what the choice of `protocol` in packages/queue/src/redis-connections.ts changes:
// the API's enqueue (one script call per message), the reads of a metrics scrape and of the
// dead-letter views (BullMQ scripts that answer nested arrays), and the time a new connection
// takes to be ready (HELLO 3 replaces none of RESP2's set-up commands), which a failover or a
// reconnection pays.
import type { SmsJobData } from '@sms/contracts';
import { createSmsQueue, enqueueBeforeDeadline, readQueueState } from '@sms/queue';
import { startRedisServer } from '@sms/testing';
import { Redis } from 'ioredis';

const ROUNDS = 7;
const MESSAGES = 3_000;
const CONCURRENCY = 32;
const READS = 300;
const CONNECTS = 200;

type Protocol = 2 | 3;

interface RoundFigures {
  enqueueMicrosPerMessage: number;
  enqueueCpuMicrosPerMessage: number;
  readMicros: number;
  connectMicros: number;
}

function jobOf(n: number): SmsJobData {
  const acceptedAt = Date.now();
  return {
    to: `57300${String(n).padStart(7, '0')}`,
    text: `Your code is ${n % 10_000} and this text is as long as a one-time password message is`,
    client: 'bench',
    acceptedAt,
    expiresAt: acceptedAt + 14_400_000,
  };
}

async function round(url: string, protocol: Protocol, label: string): Promise<RoundFigures> {
  const connection = new Redis(url, { protocol, maxRetriesPerRequest: 1 });
  const queue = createSmsQueue({ connection, prefix: `{resp-${label}}` });
  try {
    await queue.waitUntilReady();
    let next = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          const n = next++;
          await enqueueBeforeDeadline(
            queue,
            [{ id: `${label}-${n}`, data: jobOf(n) }],
            { attempts: 8 },
            Date.now() + 60_000,
          );
        }
      }),
    );
    const enqueueMicros = (performance.now() - started) * 1000;
    const used = process.cpuUsage(cpu);

    const readStarted = performance.now();
    for (let i = 0; i < READS; i++) {
      await readQueueState(queue, connection);
      await queue.getWaiting(0, 19);
    }
    const readMicros = ((performance.now() - readStarted) * 1000) / READS;

    const connectStarted = performance.now();
    for (let i = 0; i < CONNECTS; i++) {
      const fresh = new Redis(url, { protocol, lazyConnect: true });
      await fresh.connect();
      fresh.disconnect();
    }
    const connectMicros = ((performance.now() - connectStarted) * 1000) / CONNECTS;

    return {
      enqueueMicrosPerMessage: enqueueMicros / MESSAGES,
      enqueueCpuMicrosPerMessage: (used.user + used.system) / MESSAGES,
      readMicros,
      connectMicros,
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  try {
    const figures: Record<Protocol, RoundFigures[]> = { 2: [], 3: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const protocol of r % 2 === 0 ? ([2, 3] as const) : ([3, 2] as const)) {
        figures[protocol].push(await round(redis.url, protocol, `p${protocol}r${r}`));
      }
    }
    const rows = (
      ['enqueueMicrosPerMessage', 'enqueueCpuMicrosPerMessage', 'readMicros', 'connectMicros'] as const
    ).map((name) => ({
      figure: name,
      resp2: Math.round(median(figures[2].map((f) => f[name])) * 10) / 10,
      resp3: Math.round(median(figures[3].map((f) => f[name])) * 10) / 10,
    }));
    console.table(rows);
  } finally {
    await redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
