import { randomUUID } from 'node:crypto';
import { ArchiveReader, createArchivePool, StatusLookup } from '@sms/archive';
import { DeadLetters } from '@sms/dead-letters';
import { createDeadLetterQueue, createProducerConnection, createSmsQueue } from '@sms/queue';
import { ReferenceIndex, StatusStore } from '@sms/status-store';
import { type CommandOutput, failureOutput } from './command-output';
import { COMMANDS } from './command-table';
import { exitCodeOf } from './exit-codes';
import type { FailureContext } from './format-failure';
import { type DeadLetterCommand, type GlobalValues, isDeadLetterCommand, parseArgs } from './parse-args';
import { redisDeadLetterRoute } from './redis-dead-letter-route';
import { type DirectSettings, resolveDirect } from './resolve-direct';
import { resolveSettings } from './resolve-settings';
import { runCommand } from './run-command';
import { runDeadLetterCommand } from './run-dead-letter-command';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'exit') return print(parsed);
  const { command, globals } = parsed;
  // The parser takes --direct on the dlq commands only.
  if (globals.direct && isDeadLetterCommand(command)) return runDirect(command, globals);
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
    await onRedis(direct.settings, context, globals.json, (deadLetters) =>
      runDeadLetterCommand(
        command,
        redisDeadLetterRoute(deadLetters, direct.settings.where),
        globals.json,
        context,
      ),
    ),
  );
}

async function onRedis(
  settings: DirectSettings,
  context: FailureContext,
  json: boolean,
  work: (deadLetters: DeadLetters) => Promise<CommandOutput>,
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
    await redis.quit().catch(() => redis.disconnect());
    await pool?.end().catch(() => {});
  }
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
