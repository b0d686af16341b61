import { Gauge, Histogram, type Registry } from 'prom-client';
import { REDIS_COMMAND_BUCKETS } from './buckets';

/** The processes that report Redis' health; the label lets rules tell them apart without job names. */
export type GatewayService = 'api' | 'worker';

export type RedisHealthMetrics = ReturnType<typeof createRedisHealthMetrics>;

/** What `measureRedis` needs of a connection: ioredis' `Redis` and `Cluster` both fit. */
export interface PingableRedis {
  readonly status: string;
  ping(): Promise<unknown>;
}

/**
 * Redis as one process sees it over its main connection. Redis is the gateway's single point of
 * failure, so each process reports it for itself: the alerts then need no exporter of their own.
 */
export function createRedisHealthMetrics(registry: Registry, service: GatewayService) {
  const connected = new Gauge({
    name: 'sms_redis_connected',
    help: "1 while the service's main Redis connection is ready and answered a PING within 1 s at the last scrape; 0 otherwise.",
    labelNames: ['service'] as const,
    registers: [registry],
  }).labels({ service });
  // Until the first scrape measures it, the connection is not known to be ready.
  connected.set(0);
  return {
    connected,
    commandDuration: new Histogram({
      name: 'sms_redis_command_duration_seconds',
      help: "Round trip of a PING on the service's main Redis connection, one per scrape: the least any command waits. A PING left unanswered counts the time waited for it.",
      buckets: REDIS_COMMAND_BUCKETS,
      registers: [registry],
    }),
  };
}

/**
 * Sends one PING over `redis` and records how long it took and whether it came back within
 * `timeoutMs`. Never rejects. One PING per scrape costs Redis nothing; wrapping every command the
 * services send would cost the hot paths an allocation each.
 */
export async function measureRedis(
  metrics: RedisHealthMetrics,
  redis: PingableRedis,
  timeoutMs = 1_000,
): Promise<void> {
  if (redis.status !== 'ready') {
    metrics.connected.set(0);
    return;
  }
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
    timer.unref();
  });
  try {
    const answer = await Promise.race([redis.ping().then(() => 'answered' as const), late]);
    // A stalled Redis keeps the connection open: only the missing answer tells.
    metrics.commandDuration.observe(seconds());
    metrics.connected.set(answer === 'answered' ? 1 : 0);
  } catch {
    // Refused at once (the connection dropped under it): not a round trip worth recording.
    metrics.connected.set(0);
  } finally {
    clearTimeout(timer);
  }
}
