import { randomUUID } from 'node:crypto';
import { ArchiveReader, createArchivePool, StatusLookup } from '@sms/archive';
import { createCallbackQueue, GivenUpCallbacks } from '@sms/callbacks';
import { DeadLetters } from '@sms/dead-letters';
import { createDeadLetterQueue, createProducerConnection, createSmsQueue } from '@sms/queue';
import { ReferenceIndex, StatusStore } from '@sms/status-store';
import { type CommandOutput, failureOutput } from './command-output';
import { COMMANDS } from './command-table';
import { exitCodeOf } from './exit-codes';
import type { FailureContext } from './format-failure';
import {
  type CallbackCommand,
  type DeadLetterCommand,
  type GlobalValues,
  isCallbackCommand,
  isDeadLetterCommand,
  parseArgs,
} from './parse-args';
import { redisDeadLetterRoute } from './redis-dead-letter-route';
import { redisGivenUpCallbackRoute } from './redis-given-up-callback-route';
import { type DirectSettings, resolveDirect } from './resolve-direct';
import { resolveSettings } from './resolve-settings';
import { runCallbackCommand } from './run-callback-command';
import { runCommand } from './run-command';
import { runDeadLetterCommand } from './run-dead-letter-command';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'exit') return print(parsed);
  const { command, globals } = parsed;
  // The parser takes --direct on the dlq and callbacks commands only.
  if (globals.direct && isDeadLetterCommand(command)) return runDirect(command, globals);
  if (globals.direct && isCallbackCommand(command)) return runDirectCallbacks(command, globals);
  const settings = resolveSettings(globals, process.env, COMMANDS[command.name].key);
  if (!settings.ok) {
    process.stderr.write(`sms ${command.name}: ${settings.message}\n`);
    return exitCodeOf('usage');
  }
  return print(
    await runCommand(command, settings.settings, { fetch, readStdin, newIdempotencyKey: randomUUID }),
  );
}

/** `sms dlq ... --direct`: the command on the gateway's Redis, named by --redis-url or REDIS_*. */
async function runDirect(command: DeadLetterCommand, globals: GlobalValues): Promise<number> {
  const direct = resolveDirect(globals.redisUrl, process.env, globals.databaseUrl);
  if (!direct.ok) {
    process.stderr.write(`sms ${command.name}: ${direct.message}\n`);
    return exitCodeOf('usage');
  }
  const context: FailureContext = { command: command.name, key: 'admin', apiUrl: direct.settings.where };
  return print(
    await onDeadLetters(direct.settings, context, globals.json, (deadLetters) =>
      runDeadLetterCommand(
        command,
        redisDeadLetterRoute(deadLetters, direct.settings.where),
        globals.json,
        context,
      ),
    ),
  );
}

/** `sms callbacks ... --direct`: the command on the gateway's Redis, as `sms dlq ... --direct`. */
async function runDirectCallbacks(command: CallbackCommand, globals: GlobalValues): Promise<number> {
  const direct = resolveDirect(globals.redisUrl, process.env);
  if (!direct.ok) {
    process.stderr.write(`sms ${command.name}: ${direct.message}\n`);
    return exitCodeOf('usage');
  }
  const { settings } = direct;
  const context: FailureContext = { command: command.name, key: 'admin', apiUrl: settings.where };
  return print(
    await onRedis(settings, context, globals.json, async (redis) => {
      const { prefix, callbacks } = settings;
      const queue = createCallbackQueue({ connection: redis, prefix });
      const givenUp = new GivenUpCallbacks(redis, {
        prefix,
        outboxRetentionSeconds: callbacks.outboxRetentionSeconds,
      });
      try {
        const route = redisGivenUpCallbackRoute({
          givenUp,
          queue,
          job: { attempts: callbacks.attempts },
          where: settings.where,
        });
        return await runCallbackCommand(command, route, globals.json, context);
      } finally {
        await queue.close().catch(() => {});
      }
    }),
  );
}

/** Runs `work` on a connection to the Redis of `settings`; a Redis out of reach is a failure to retry. */
async function onRedis(
  settings: DirectSettings,
  context: FailureContext,
  json: boolean,
  work: (redis: ReturnType<typeof createProducerConnection>) => Promise<CommandOutput>,
): Promise<CommandOutput> {
  const redis = createProducerConnection(settings.target, { lazyConnect: true });
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
    return failureOutput(
      { outcome: 'retry', message: `cannot reach Redis at ${settings.where}: ${reason}` },
      context,
      json,
    );
  }
  try {
    return await work(redis);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Runs `work` on the dead letters of the Redis (and archive) of `settings`. */
function onDeadLetters(
  settings: DirectSettings,
  context: FailureContext,
  json: boolean,
  work: (deadLetters: DeadLetters) => Promise<CommandOutput>,
): Promise<CommandOutput> {
  return onRedis(settings, context, json, async (redis) => {
    const { prefix } = settings;
    const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
    const smsQueue = createSmsQueue({ connection: redis, prefix });
    const statusStore = new StatusStore(redis, { prefix });
    // Only its reads of one record and its history are used: the index's retention is never applied.
    const referenceIndex = new ReferenceIndex(redis, { prefix, retentionSeconds: 0 });
    const pool = settings.databaseUrl === undefined ? undefined : createArchivePool(settings.databaseUrl);
    const statusLookup = new StatusLookup({
      statusStore,
      referenceIndex,
      ...(pool && { archive: new ArchiveReader(pool) }),
    });
    try {
      return await work(
        new DeadLetters({
          deadLetterQueue,
          smsQueue,
          statusStore,
          statusLookup,
          redis,
          prefix,
          sendAttempts: settings.sendAttempts,
        }),
      );
    } finally {
      await Promise.all([deadLetterQueue.close(), smsQueue.close()]).catch(() => {});
      await pool?.end().catch(() => {});
    }
  });
}

function print(output: CommandOutput): number {
  if (output.stdout !== '') process.stdout.write(`${output.stdout}\n`);
  if (output.stderr !== '') process.stderr.write(`${output.stderr}\n`);
  return output.exitCode;
}

async function readStdin(): Promise<string> {
  // Someone typing the text would otherwise face a silent wait.
  if (process.stdin.isTTY) process.stderr.write('Type the text, then Ctrl-D on a line of its own.\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `sms dlq list | head -3` closes the pipe early: the reader has what it wanted, so no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode, not exit(): stdout may still be draining into a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sms: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = exitCodeOf('internal');
  },
);
