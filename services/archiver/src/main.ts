import {
  archiverConfigSchema,
  ConfigError,
  describeRedisTarget,
  loadConfig,
  redisTargetOf,
} from '@sms/config';
import { createLogger } from '@sms/logging';
import { stopOnSignals } from '@sms/service-lifecycle';
import { createArchiverRuntime } from './create-archiver-runtime';

async function main(): Promise<void> {
  const config = loadConfig(archiverConfigSchema);
  const logger = createLogger('archiver', config.LOG_LEVEL);
  const runtime = createArchiverRuntime(config, { logger });
  const { port, keyPrefix, consumer } = await runtime.start();
  logger.info({ redis: describeRedisTarget(redisTargetOf(config)), keyPrefix }, 'redis connected');
  logger.info({ port, consumer, batchSize: config.ARCHIVE_BATCH_SIZE }, 'archiver started');

  // A batch in flight at the signal finishes, or stays pending for another archiver to take over
  // after ARCHIVE_CLAIM_IDLE_MS (or for this one's successor).
  stopOnSignals({
    stop: () => runtime.stop(),
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    logger,
    stopping: 'shutting down: finishing the batch in flight',
    timedOut: 'shutdown timeout reached; the batch in flight stays pending',
  });
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print the list, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
