import {
  adminCliConfigSchema,
  ConfigError,
  describeRedisTarget,
  loadConfig,
  redisKeyPrefix,
  redisTargetOf,
} from '@sms/config';
import { DeadLetters } from '@sms/dead-letters';
import { createDeadLetterQueue, createProducerConnection, createSmsQueue } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { parseArgs, USAGE } from './parse-args';
import { runCommand } from './run-command';

// Exit codes: 0 done, 1 not done (see run-command.ts) or Redis failed, 2 wrong usage or config.
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (parsed.command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(adminCliConfigSchema);

  const target = redisTargetOf(config);
  const prefix = redisKeyPrefix(config.QUEUE_PREFIX);
  const redis = createProducerConnection(target, { lazyConnect: true });
  // The 'error' event says why (ECONNREFUSED...); connect() only that the connection closed.
  let cause: Error | undefined;
  redis.on('error', (error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (cause ?? (error as Error)).message;
    process.stderr.write(`cannot reach Redis at ${describeRedisTarget(target)}: ${reason}\n`);
    return 1;
  }
  const setup = { connection: redis, prefix };
  const deadLetterQueue = createDeadLetterQueue(setup);
  const smsQueue = createSmsQueue(setup);
  try {
    const deadLetters = new DeadLetters({
      deadLetterQueue,
      smsQueue,
      statusStore: new StatusStore(redis, { prefix }),
      redis,
      prefix,
      sendAttempts: config.SEND_ATTEMPTS,
    });
    const output = await runCommand(parsed.command, deadLetters);
    process.stdout.write(`${output.stdout}\n`);
    return output.exitCode;
  } finally {
    await Promise.all([deadLetterQueue.close(), smsQueue.close()]).catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A configuration error is the operator's to fix: print the list, not a stack trace.
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`}\n`,
    );
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
