import { readFileSync } from 'node:fs';
import { ConfigError, describeRedisTarget, loadConfig, redisTargetOf, workerConfigSchema } from '@sms/config';
import { createLogger } from '@sms/logging';
import { stopOnSignals } from '@sms/service-lifecycle';
import { startTracing } from '@sms/tracing';
import pino from 'pino';
import { createWorkerRuntime } from './create-worker-runtime';

async function main(): Promise<void> {
  const config = loadConfig(workerConfigSchema);
  // A line per message: written in blocks of 4 KiB, and at least every 250 ms, rather than one
  // write(2) per line (those were about 9 % of the worker's CPU). Pino writes what is pending
  // when the process exits; a SIGKILL loses at most the last 250 ms of lines.
  const logger = createLogger(
    'worker',
    config.LOG_LEVEL,
    pino.destination({ dest: 1, sync: false, minLength: 4_096, periodicFlush: 250 }),
  );
  const kaaraiCa = readCa(config.KAARAI_CA_FILE);
  if (config.KAARAI_URL.startsWith('http://')) {
    logger.warn('KAARAI_URL is plain http: the Kaarai password travels in clear (development only)');
  }

  // Nothing is started without OTEL_EXPORTER_OTLP_ENDPOINT: the processor then takes no tracer.
  const tracing = startTracing('sms-worker', config);
  const runtime = createWorkerRuntime(config, {
    logger,
    ...(kaaraiCa !== undefined && { kaaraiCa }),
    ...(tracing.enabled && { tracer: tracing.tracer }),
  });
  const { port, keyPrefix } = await runtime.start();
  logger.info({ redis: describeRedisTarget(redisTargetOf(config)), keyPrefix }, 'redis connected');
  logger.info({ port, concurrency: config.WORKER_CONCURRENCY, kaarai: config.KAARAI_URL }, 'worker started');

  // Signals are taken from here on: a signal during the start-up wait for Redis ends the process
  // at once, as nothing is in flight yet. The status server keeps the process alive until a
  // signal; the first one starts the shutdown, later ones change nothing.
  stopOnSignals({
    stop: async () => {
      await runtime.stop();
      await tracing.shutdown().catch((err: unknown) => logger.warn({ err }, 'last spans not exported'));
    },
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    logger,
    stopping: 'shutting down: taking no new jobs, finishing those in flight',
    // Jobs still active return to the queue when their lock expires (BullMQ's stalled check).
    timedOut: 'shutdown timeout reached; leaving unfinished jobs to be redelivered',
  });
}

function readCa(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`KAARAI_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`]);
  }
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print the list, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
